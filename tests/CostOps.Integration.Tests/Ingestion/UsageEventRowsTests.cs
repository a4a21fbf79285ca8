using System.Text.Json;
using CostOps.Core.Ingestion;
using CostOps.Core.Pricing;
using CostOps.Infrastructure.Ingestion;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

public sealed class UsageEventRowsTests(ClickHouseFixture fixture) : IClassFixture<ClickHouseFixture>
{
    [Fact]
    public async Task The_columns_match_the_table_column_for_column()
    {
        var columns = await fixture.ClickHouse.QueryAsync(
            "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'usage_events' ORDER BY position", "TSV");
        var expected = string.Concat(UsageEventRows.Columns.Select(c => $"{c.Name}\t{c.Type.Replace("\\'", "'")}\n"));
        Assert.Equal(expected.Replace("'", "\\'"), columns);
    }

    [Fact]
    public async Task A_Native_block_round_trips_every_field_exactly()
    {
        var catalog = new BundledPriceCatalogSource().Current;
        var at = new DateTimeOffset(2026, 11, 2, 10, 15, 30, 123, TimeSpan.Zero);
        var full = new UsageEvent
        {
            EventId = "rt-full", Timestamp = at, Tenant = "acme", Model = "claude-sonnet-4-5", Provider = "anthropic",
            Project = "search", User = new string('ü', 150), Feature = "answer", Deployment = "prod-eu",
            InputTokens = 123_456, OutputTokens = 7_890, CachedInputTokens = 100_000, CacheWriteTokens = 20_000, ReasoningTokens = 1_000,
            Batch = false, Interactive = null, LatencyMs = 1_234, Status = "ok", PromptHash = "sha256:abc",
            Tags = new Dictionary<string, string> { ["team"] = "search", ["値"] = "tab\there" },
            Images = 2, AudioSeconds = 12.345678m, VideoSeconds = 0.5m, Characters = 77, WebSearches = 3, ServiceTier = "flex",
            DeploymentType = "regional",
        };
        var minimal = new UsageEvent
        {
            EventId = "rt-min", Timestamp = at.AddHours(1), Tenant = "acme", Model = "no-such-model", InputTokens = 1, OutputTokens = 0,
            Interactive = false,
        };
        var ingestedAt = at.AddMinutes(5);
        var block = UsageEventRows.NewBlock(2);
        var costs = new List<PricedCost>();
        foreach (var e in new[] { full, minimal })
        {
            var usage = e.ToUsage(e.InputTokens!.Value, e.OutputTokens!.Value, estimated: false);
            var cost = catalog.Price(e.Tenant, e.Provider, e.Model, e.Timestamp, usage);
            costs.Add(cost);
            UsageEventRows.Write(block, new PricedUsageEvent(e, cost, usage.Input, usage.Output), "test", ingestedAt);
        }
        Assert.Equal(2, block.Rows);
        await fixture.ClickHouse.ExecuteAsync("TRUNCATE TABLE usage_events");
        await fixture.ClickHouse.InsertAsync(UsageEventRows.Table, UsageEventRows.Format, block.ToBlock());

        var json = await fixture.ClickHouse.QueryAsync(
            "SELECT *, toTypeName(tenant) AS tenant_type FROM usage_events ORDER BY event_id SETTINGS output_format_decimal_trailing_zeros = 0", "JSONEachRow");
        var rows = json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, rows.Count);
        var f = rows[0];
        Assert.Equal("rt-full", f.GetProperty("event_id").GetString());
        Assert.Equal("2026-11-02 10:15:30.123", f.GetProperty("timestamp").GetString());
        Assert.Equal(new string('ü', 150), f.GetProperty("user").GetString());
        Assert.Equal("LowCardinality(String)", f.GetProperty("tenant_type").GetString());
        Assert.Equal(("search", "answer", "prod-eu", "claude-sonnet-4-5"),
            (f.GetProperty("project").GetString(), f.GetProperty("feature").GetString(), f.GetProperty("deployment").GetString(), f.GetProperty("canonical_model").GetString()));
        Assert.Equal("123456", f.GetProperty("input_tokens").ToString());
        Assert.Equal("100000", f.GetProperty("cached_input_tokens").ToString());
        Assert.Equal("20000", f.GetProperty("cache_write_tokens").ToString());
        Assert.Equal("1000", f.GetProperty("reasoning_tokens").ToString());
        Assert.Equal(JsonValueKind.Null, f.GetProperty("interactive").ValueKind);
        Assert.Equal(1234, f.GetProperty("latency_ms").GetInt32());
        Assert.Equal("tab\there", f.GetProperty("tags").GetProperty("値").GetString());
        Assert.Equal("search", f.GetProperty("tags").GetProperty("team").GetString());
        Assert.True(costs[0].Total > 0);
        Assert.Equal(costs[0].Total, decimal.Parse(f.GetProperty("cost_usd").ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(costs[0].Components.CacheWrite, decimal.Parse(f.GetProperty("cache_write_cost_usd").ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2026-11-02 10:20:30.123", f.GetProperty("ingested_at").GetString());
        Assert.Equal(("2", "12.345678", "0.5", "77", "3", "flex", "regional"),
            (f.GetProperty("images").ToString(), f.GetProperty("audio_seconds").ToString(), f.GetProperty("video_seconds").ToString(),
             f.GetProperty("characters").ToString(), f.GetProperty("web_searches").ToString(), f.GetProperty("service_tier").GetString(),
             f.GetProperty("deployment_type").GetString()));
        Assert.Equal(costs[0].Components.Units, decimal.Parse(f.GetProperty("units_cost_usd").ToString(), System.Globalization.CultureInfo.InvariantCulture));

        var m = rows[1];
        Assert.Equal("rt-min", m.GetProperty("event_id").GetString());
        Assert.False(m.GetProperty("interactive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, m.GetProperty("latency_ms").ValueKind);
        Assert.Empty(m.GetProperty("tags").EnumerateObject());
        Assert.Equal(("0", "0", "", ""), (m.GetProperty("images").ToString(), m.GetProperty("audio_seconds").ToString(),
            m.GetProperty("service_tier").GetString(), m.GetProperty("deployment_type").GetString()));
        // No provider, no price: the bundled source prices it at the unknown-model estimate (docs/pricing.md).
        Assert.Equal("estimated_price", m.GetProperty("price_status").GetString());
        Assert.Equal("estimate:default@2000-01-01", m.GetProperty("price_version").GetString());
        Assert.Equal("test", m.GetProperty("source").GetString());
    }
}
