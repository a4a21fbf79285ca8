using CostOps.Core.Pricing;
using CostOps.Core.Recommendations;
using CostOps.Infrastructure.Recommendations;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Recommendations;

/// <summary>
/// The usage profile's day cache (schema 0013): whole days are read from stored groups, and a day is computed again
/// exactly when its events change. Every profile is checked against the events themselves (usage_events FINAL).
/// </summary>
public sealed class ProfileDayCacheTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static readonly PriceCatalog Catalog = BundledCatalog.Load().ToCatalog();
    private static readonly DateTimeOffset From = IngestionFixture.Now.AddDays(-30);

    private UsageProfileReader Reader => fixture.Host.Get<UsageProfileReader>();

    /// <summary>Every figure the profile sums or maximises, over the tenant's scopes.</summary>
    private async Task<long[]> ProfileAsync(string tenant)
    {
        var profiles = await Reader.ReadAsync(From, IngestionFixture.Now, tenant, Catalog, new RecommendationSettings());
        var total = profiles.Aggregate(TokenMix.Zero, (sum, p) => sum + p.Total);
        return [total.Requests, total.Input, total.Output, total.CachedInput, total.CacheWrite, total.Reasoning,
            profiles.Sum(p => p.Errors), profiles.Sum(p => p.UnpricedRequests), profiles.Max(p => p.MaxInputTokens), profiles.Max(p => p.MaxOutputTokens)];
    }

    /// <summary>The same figures from the events themselves.</summary>
    private async Task<long[]> EventsAsync(string tenant)
    {
        var text = await fixture.ClickHouse.QueryAsync($"""
            SELECT count(), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cache_write_tokens), sum(reasoning_tokens),
                   countIf(status != 'ok'), countIf(price_status IN ('unknown_model', 'estimated_price')), max(input_tokens), max(output_tokens)
            FROM usage_events FINAL WHERE tenant = '{tenant}'
            """, "TSV");
        return text.Trim().Split('\t').Select(long.Parse).ToArray();
    }

    private async Task<long> StoredDaysAsync() =>
        long.Parse((await fixture.ClickHouse.QueryAsync("SELECT count() FROM usage_profile_day_state FINAL", "TSV")).Trim());

    private async Task IngestAsync(Traffic traffic) =>
        Assert.Equal(0, (await fixture.Handler.HandleAsync([traffic.Bytes()], "test", CancellationToken.None)).Rejected);

    [Fact]
    public async Task Whole_days_are_read_from_stored_groups_and_computed_again_only_when_their_events_change()
    {
        // 96 calls an hour apart: the window's last (partial) day and four whole days before it.
        var before = await StoredDaysAsync();
        var traffic = new Traffic(IngestionFixture.Now).Add(96, "t-days", "app", "chat", "openai", "gpt-4o", 1_000, 100, cached: 400, cacheWrite: 200, hoursSpread: 96);
        await IngestAsync(traffic);
        Assert.Equal(await EventsAsync("t-days"), await ProfileAsync("t-days"));
        // 2026-11-24 to 11-27 computed and stored (11-28 is the window's partial last day, read from the events).
        var stored = await StoredDaysAsync();
        Assert.Equal(before + 4, stored);

        // Nothing changed: the same profile, no day computed again.
        Assert.Equal(await EventsAsync("t-days"), await ProfileAsync("t-days"));
        Assert.Equal(stored, await StoredDaysAsync());

        // A late event in a whole day (two days back, larger than any before; sent with the first 96 again, which are
        // duplicates): that day alone is computed again.
        await IngestAsync(traffic.Add(1, "t-days", "app", "chat", "openai", "gpt-4o", 5_000, 4_000, at: _ => IngestionFixture.Now.AddDays(-2).AddHours(-3)));
        var events = await EventsAsync("t-days");
        Assert.Equal([97L, 101_000L, 13_600L, 38_400L, 19_200L, 0L, 0L, 0L, 5_000L, 4_000L], events);
        Assert.Equal(events, await ProfileAsync("t-days"));
        Assert.Equal(stored + 1, await StoredDaysAsync());

        // Merging the table (superseded versions dropped, parts rewritten) changes nothing the profile says.
        await fixture.ClickHouse.ExecuteAsync("OPTIMIZE TABLE usage_events FINAL");
        Assert.Equal(events, await ProfileAsync("t-days"));
    }

    [Fact]
    public async Task A_day_whose_events_are_repriced_to_another_model_is_read_as_it_is_now()
    {
        // An unknown model: its calls are grouped under the model as sent until a re-price resolves them.
        await IngestAsync(new Traffic(IngestionFixture.Now).Add(48, "t-versions", "app", "chat", "openai", "acme-private-llm", 1_000, 100, hoursSpread: 48));
        var before = await Reader.ReadAsync(From, IngestionFixture.Now, "t-versions", Catalog, new RecommendationSettings());
        Assert.Equal(["acme-private-llm"], before.Select(p => p.Scope.Model).Distinct());

        // A new version of every event, as a re-price writes (same id, later ingested_at), under a canonical model.
        await fixture.ClickHouse.ExecuteAsync("""
            INSERT INTO usage_events
            SELECT * REPLACE ('gpt-4o' AS canonical_model, 'priced' AS price_status, ingested_at + INTERVAL 1 SECOND AS ingested_at)
            FROM usage_events FINAL WHERE tenant = 't-versions'
            """);
        var after = await Reader.ReadAsync(From, IngestionFixture.Now, "t-versions", Catalog, new RecommendationSettings());
        var scope = Assert.Single(after);
        Assert.Equal("gpt-4o", scope.Scope.Model);
        Assert.Equal(48, scope.Total.Requests);
        Assert.Equal(0, scope.UnpricedRequests);
    }
}
