using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Pricing;

/// <summary>The real <c>costops</c> binary: <c>cost --json</c> is a contract scripts rely on.</summary>
public sealed class CostCommandTests
{
    [Fact]
    public async Task Cost_json_prints_exact_decimal_strings_and_the_price_version()
    {
        var result = await new CliProcess().RunAsync(
            "cost", "--model", "claude-sonnet-4-5-20250929", "--provider", "anthropic", "--input-tokens", "250000",
            "--output-tokens", "2000", "--cached-input-tokens", "100000", "--cache-write-tokens", "10000", "--reasoning-tokens", "500",
            "--at", "2025-12-01T00:00:00Z", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("anthropic", root.GetProperty("provider").GetString());
        Assert.Equal("claude-sonnet-4-5", root.GetProperty("model").GetString());
        // Above 200K input: 140,000 × $6 + 100,000 × $0.60 + 10,000 × $7.50 + 2,000 × $22.50 per million.
        Assert.Equal("1.02", root.GetProperty("cost_usd").GetString());
        Assert.Equal("priced", root.GetProperty("price_status").GetString());
        Assert.Equal("anthropic/claude-sonnet-4-5@2025-09-29", root.GetProperty("price_version").GetString());
        Assert.Equal("0.84", root.GetProperty("components").GetProperty("input_usd").GetString());
        Assert.Contains("above_tier", root.GetProperty("notes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Unknown_model_exits_1_and_shows_the_fallback_estimate()
    {
        var result = await new CliProcess().RunAsync("cost", "--model", "my-private-model", "--input-tokens", "10", "--output-tokens", "1", "--json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("estimated_price", json.RootElement.GetProperty("price_status").GetString());
        // The documented default for an unknown provider, $15 / $75 per 1M: 10 x 15 / 1e6 + 1 x 75 / 1e6.
        Assert.Equal("0.000225", json.RootElement.GetProperty("cost_usd").GetString());
        Assert.Equal("estimate:default@2000-01-01", json.RootElement.GetProperty("price_version").GetString());
    }
}
