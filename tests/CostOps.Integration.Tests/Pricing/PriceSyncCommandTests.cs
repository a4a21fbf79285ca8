using System.Text;
using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Pricing;

/// <summary>The real <c>costops prices sync</c> against a price map served over real HTTP on loopback.</summary>
public sealed class PriceSyncCommandTests
{
    // LiteLLM's format: USD per token. gpt-4o's input drops from $2.50 to $2 per 1M; one model is new; Haiku 3's
    // 1-hour write is the map's known error, and that entry is a pinned correction.
    private const string Map = """
        {
          "gpt-4o": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2e-06, "output_cost_per_token": 1e-05 },
          "gpt-brand-new": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1.1e-06, "output_cost_per_token": 4.4e-06 },
          "claude-3-haiku-20240307": { "litellm_provider": "anthropic", "mode": "chat", "input_cost_per_token": 2.5e-07, "output_cost_per_token": 1.25e-06, "cache_creation_input_token_cost_above_1hr": 6e-06 }
        }
        """;

    [Fact]
    public async Task Sync_shows_the_diff_applies_dated_versions_and_a_rerun_changes_nothing()
    {
        using var server = new MapServer(Map);
        var cli = new CliProcess();

        var dryRun = await cli.RunAsync("prices", "sync", "--from", server.Url, "--effective", "2026-06-01");
        Assert.True(dryRun.ExitCode == 0, dryRun.Error);
        Assert.Contains("~ openai/gpt-4o: input 2.5 -> 2", dryRun.Out);
        Assert.Contains("+ openai/gpt-brand-new  input 1.1 output 4.4", dryRun.Out);
        Assert.Contains("= pinned, not applied: anthropic/claude-3-haiku: cache_write_1h 0.5 -> 6", dryRun.Out);
        Assert.Contains("Dry run", dryRun.Out);

        var apply = await cli.RunAsync("prices", "sync", "--from", server.Url, "--effective", "2026-06-01", "--apply", "--json");
        Assert.True(apply.ExitCode == 0, apply.Error);
        using (var json = JsonDocument.Parse(apply.Out))
        {
            Assert.True(json.RootElement.GetProperty("applied").GetBoolean());
            Assert.Equal(1, json.RootElement.GetProperty("changed").GetArrayLength());
            Assert.Equal(1, json.RootElement.GetProperty("added").GetArrayLength());
            var input = json.RootElement.GetProperty("changed")[0].GetProperty("fields").GetProperty("input");
            Assert.Equal(2.5m, input.GetProperty("old").GetDecimal());
            Assert.Equal(2m, input.GetProperty("new").GetDecimal());
        }

        // History kept: the old version is still there, the new one starts on the effective date.
        var list = await cli.RunAsync("prices", "list", "--provider", "openai", "--model", "gpt-4o");
        var rows = list.Out.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length > 3 && cells[0] == "openai" && cells[1] == "gpt-4o").ToList();
        Assert.Contains(rows, r => r[2] == "2024-10-02" && r[3] == "2.5");
        Assert.Contains(rows, r => r[2] == "2026-06-01" && r[3] == "2");

        var rerun = await cli.RunAsync("prices", "sync", "--from", server.Url, "--effective", "2026-06-01", "--apply");
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Contains("0 added, 0 changed", rerun.Out);
        Assert.Contains("Nothing to apply.", rerun.Out);
        Assert.True(server.Requests >= 3);
    }

    [Fact]
    public async Task A_source_that_is_not_a_price_map_is_a_clear_error()
    {
        using var server = new MapServer("[\"not a map\"]");
        var result = await new CliProcess().RunAsync("prices", "sync", "--from", server.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("must be a JSON object", result.Error);
    }
}
