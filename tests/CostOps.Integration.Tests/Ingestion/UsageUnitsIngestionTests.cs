using System.Globalization;
using System.Text;
using System.Text.Json;
using CostOps.Infrastructure.Ingestion;
using CostOps.Integration.Tests.Fixtures;
using CostOps.Integration.Tests.Infra;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>
/// Units beyond tokens and service tiers through the real ingestion path (parse, validate, price, Native insert into
/// chDB, rollups): the stored costs equal rate × units with the rates read from the community map snapshot files the
/// bundled catalog is built from, not from the pricing code; and an event in the old format prices as it always did.
/// </summary>
public sealed class UsageUnitsIngestionTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private const string Tenant = "units";

    // Newest first: the bundled catalog applies the snapshots in date order, so the newest one holding a model wins.
    private static readonly string[] Snapshots = ["litellm-2026-07-24.json", "litellm-2026-02-24.json"];

    private static readonly Dictionary<string, JsonElement> Map = LoadMap();

    private static Dictionary<string, JsonElement> LoadMap()
    {
        var entries = new Dictionary<string, JsonElement>();
        foreach (var file in Snapshots)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.Of("src", "CostOps.Core", "Pricing", "CommunityMap", "snapshots", file)));
            foreach (var entry in doc.RootElement.EnumerateObject()) entries.TryAdd(entry.Name, entry.Value.Clone());
        }
        return entries;
    }

    /// <summary>A figure of the map as written there (e.g. 1.5e-05), read exactly into decimal.</summary>
    private static decimal Rate(string key, params string[] path)
    {
        var value = Map[key];
        foreach (var name in path) value = value.GetProperty(name);
        return decimal.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static string Event(string id, string provider, string model, string extra) =>
        $"{{\"event_id\":\"{id}\",\"timestamp\":\"2026-11-27T10:00:00Z\",\"tenant\":\"{Tenant}\",\"provider\":\"{provider}\",\"model\":\"{model}\",{extra}}}";

    [Fact]
    public async Task Units_and_tiers_are_stored_and_priced_at_the_maps_rates()
    {
        var lines = new[]
        {
            Event("u-audio", "openai", "whisper-1", "\"input_tokens\":0,\"output_tokens\":0,\"audio_seconds\":93.5"),
            Event("u-tts", "openai", "tts-1", "\"input_tokens\":0,\"output_tokens\":0,\"characters\":4321"),
            Event("u-image", "gcp.vertex_ai", "imagen-4.0-generate-001", "\"input_tokens\":0,\"output_tokens\":0,\"images\":3"),
            Event("u-search", "anthropic", "claude-opus-4-7", "\"input_tokens\":5000,\"output_tokens\":400,\"web_searches\":3"),
            Event("u-priority", "openai", "gpt-5.5", "\"input_tokens\":20000,\"output_tokens\":2000,\"cached_input_tokens\":5000,\"service_tier\":\"priority\""),
            Event("u-flex", "openai", "gpt-5.5", "\"input_tokens\":20000,\"output_tokens\":2000,\"cached_input_tokens\":5000,\"service_tier\":\"flex\""),
            Event("u-batch", "openai", "gpt-5.5", "\"input_tokens\":50000,\"output_tokens\":5000,\"service_tier\":\"batch\""),
            Event("u-old", "openai", "gpt-5.5", "\"input_tokens\":12000,\"output_tokens\":800,\"cached_input_tokens\":4000"),
            Event("u-default", "openai", "gpt-5.5", "\"input_tokens\":12000,\"output_tokens\":800,\"cached_input_tokens\":4000,\"service_tier\":\"default\",\"deployment_type\":\"data_zone\""),
        };
        var summary = await fixture.Handler.HandleAsync([Encoding.UTF8.GetBytes(string.Join('\n', lines))], "test", CancellationToken.None);
        Assert.Equal((lines.Length, 0, 0), (summary.Accepted, summary.Rejected, summary.Unpriced));

        const string g = "gpt-5.5";
        var expected = new Dictionary<string, (decimal Cost, decimal Units)>
        {
            ["u-audio"] = (93.5m * Rate("whisper-1", "input_cost_per_second"), 93.5m * Rate("whisper-1", "input_cost_per_second")),
            ["u-tts"] = (4321 * Rate("tts-1", "input_cost_per_character"), 4321 * Rate("tts-1", "input_cost_per_character")),
            ["u-image"] = (3 * Rate("vertex_ai/imagen-4.0-generate-001", "output_cost_per_image"), 3 * Rate("vertex_ai/imagen-4.0-generate-001", "output_cost_per_image")),
            ["u-search"] = (5000 * Rate("claude-opus-4-7", "input_cost_per_token") + 400 * Rate("claude-opus-4-7", "output_cost_per_token")
                + 3 * Rate("claude-opus-4-7", "search_context_cost_per_query", "search_context_size_medium"),
                3 * Rate("claude-opus-4-7", "search_context_cost_per_query", "search_context_size_medium")),
            ["u-priority"] = (15000 * Rate(g, "input_cost_per_token_priority") + 5000 * Rate(g, "cache_read_input_token_cost_priority")
                + 2000 * Rate(g, "output_cost_per_token_priority"), 0m),
            ["u-flex"] = (15000 * Rate(g, "input_cost_per_token_flex") + 5000 * Rate(g, "cache_read_input_token_cost_flex")
                + 2000 * Rate(g, "output_cost_per_token_flex"), 0m),
            ["u-batch"] = (50000 * Rate(g, "input_cost_per_token_batches") + 5000 * Rate(g, "output_cost_per_token_batches"), 0m),
            ["u-old"] = (8000 * Rate(g, "input_cost_per_token") + 4000 * Rate(g, "cache_read_input_token_cost") + 800 * Rate(g, "output_cost_per_token"), 0m),
        };
        expected["u-default"] = expected["u-old"];

        var rows = await fixture.ClickHouse.QueryAsync(
            $"SELECT event_id, cost_usd, units_cost_usd, price_status FROM usage_events FINAL WHERE tenant = '{Tenant}' ORDER BY event_id", "TSV");
        var stored = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
            .ToDictionary(c => c[0], c => (Cost: decimal.Parse(c[1], CultureInfo.InvariantCulture), Units: decimal.Parse(c[2], CultureInfo.InvariantCulture), Status: c[3]));
        Assert.Equal(expected.Keys.Order(), stored.Keys.Order());
        foreach (var (id, want) in expected)
        {
            Assert.True(want.Cost > 0, id);
            Assert.Equal((id, want.Cost, want.Units, "priced"), (id, stored[id].Cost, stored[id].Units, stored[id].Status));
        }

        // The counts are stored as sent ('' and 0 when not sent), and the rollups budgets read hold the unit costs too.
        Assert.Equal(
            "u-audio\t0\t93.5\t0\t0\t\t\nu-default\t0\t0\t0\t0\tdefault\tdata_zone\nu-image\t3\t0\t0\t0\t\t\nu-old\t0\t0\t0\t0\t\t\n" +
            "u-priority\t0\t0\t0\t0\tpriority\t\nu-search\t0\t0\t0\t3\t\t\nu-tts\t0\t0\t4321\t0\t\t\n",
            await fixture.ClickHouse.QueryAsync(
                $"SELECT event_id, images, audio_seconds, characters, web_searches, service_tier, deployment_type FROM usage_events FINAL WHERE tenant = '{Tenant}' AND event_id NOT IN ('u-flex', 'u-batch') ORDER BY event_id", "TSV"));
        Assert.Equal("batch\ttrue\n", await fixture.ClickHouse.QueryAsync(
            $"SELECT service_tier, batch FROM usage_events FINAL WHERE tenant = '{Tenant}' AND event_id = 'u-batch'", "TSV"));
        var total = expected.Values.Sum(v => v.Cost);
        // Live rollups are deferred (Ingestion:RollupIntervalMilliseconds): read them as the spend routes do, refreshed first.
        await fixture.Rollups.RefreshPendingAsync();
        Assert.Equal(total, decimal.Parse(await fixture.ClickHouse.QueryAsync(
            $"SELECT sum(cost_usd) FROM spend_hourly FINAL WHERE tenant = '{Tenant}'", "TSV"), CultureInfo.InvariantCulture));
        Assert.Equal(total, decimal.Parse(await fixture.ClickHouse.QueryAsync(
            $"SELECT sum(cost_usd) FROM spend_daily FINAL WHERE tenant = '{Tenant}'", "TSV"), CultureInfo.InvariantCulture));

        // Re-pricing reads the units and the tier back from the table: nothing changes at unchanged prices.
        var repricer = new Repricer(fixture.ClickHouse, fixture.Catalog, new BundledPriceCatalogSource(), fixture.Rollups,
            new RollupRepair(fixture.ClickHouse, fixture.Catalog, fixture.Rollups, fixture.Time), fixture.Time);
        var reprice = await repricer.RepriceAsync(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero), Tenant);
        Assert.Equal((lines.Length, 0L), (reprice.Events, reprice.Changed));
    }

    [Fact]
    public async Task Bad_units_are_rejected_rows_with_their_code_and_the_rest_is_kept()
    {
        var lines = new[]
        {
            Event("b-neg", "openai", "whisper-1", "\"input_tokens\":0,\"output_tokens\":0,\"audio_seconds\":-1"),
            Event("b-tier", "openai", "gpt-5.5", "\"input_tokens\":1,\"output_tokens\":1,\"service_tier\":\"turbo\""),
            Event("b-conflict", "openai", "gpt-5.5", "\"input_tokens\":1,\"output_tokens\":1,\"service_tier\":\"flex\",\"batch\":true"),
            Event("b-ok", "openai", "tts-1", "\"input_tokens\":0,\"output_tokens\":0,\"characters\":10"),
        };
        var summary = await fixture.Handler.HandleAsync([Encoding.UTF8.GetBytes(string.Join('\n', lines))], "test", CancellationToken.None);

        Assert.Equal((1, 3), (summary.Accepted, summary.Rejected));
        Assert.Equal(["audio_seconds_negative", "service_tier_invalid", "service_tier_conflict"],
            summary.Outcomes.Where(o => o.Rejection is not null).Select(o => o.Rejection!.Code));
    }
}
