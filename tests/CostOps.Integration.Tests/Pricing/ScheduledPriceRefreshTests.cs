using Azure.Data.Tables;
using CostOps.Core.Pricing;
using CostOps.Infrastructure.Pricing;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Pricing;

/// <summary>The price refresh schedule against a map served over real HTTP on loopback, on a real Azurite.</summary>
public sealed class ScheduledPriceRefreshTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    // gpt-4o input $2.50 -> $2 per 1M, output unchanged at $10 (USD per token in the map's format).
    private const string Map = """
        { "gpt-4o": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2e-06, "output_cost_per_token": 1e-05 } }
        """;

    [Fact]
    public async Task The_schedule_syncs_once_a_day_records_the_diff_and_prices_new_traffic_at_once()
    {
        using var server = new MapServer(Map);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 6, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new PricingOptions { SyncSource = server.Url });
        var store = new PriceTableStore(fixture.Tables);
        var source = new TablePriceCatalogSource(store, options, time);
        var refresh = new ScheduledPriceRefresh(source, store, fixture.Tables, options, time, NullLogger<ScheduledPriceRefresh>.Instance);

        var first = await refresh.RunAsync();

        var change = Assert.Single(first!.Plan.Changed);
        Assert.Equal("gpt-4o", change.Model.Model);
        Assert.True(first.Applied);
        var record = await fixture.Tables.Table(TableNames.PriceSyncs).GetEntityAsync<TableEntity>("sync", "2026-11-20");
        Assert.Equal(1, record.Value.GetInt32("Changed"));
        Assert.Contains("\"input\"", record.Value.GetString("Report"));

        // Reloaded at once: traffic from the effective date pays the map's price, earlier traffic keeps the old one.
        var usage = new UsageTokens(1_000_000, 0);
        Assert.Equal(2m, source.Current.Price(null, "openai", "gpt-4o", new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), usage).Total);
        Assert.Equal(2.5m, source.Current.Price(null, "openai", "gpt-4o", new DateTimeOffset(2026, 11, 19, 23, 59, 59, TimeSpan.Zero), usage).Total);

        // The same day: recorded already, nothing runs. The next day: the sync runs and finds nothing to change.
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await refresh.RunAsync());
        time.Advance(TimeSpan.FromDays(1));
        var nextDay = await refresh.RunAsync();
        Assert.True(nextDay!.Plan.IsEmpty);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Without_a_sync_source_the_schedule_only_reloads()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 6, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new PricingOptions());
        var store = new PriceTableStore(fixture.Tables);
        var source = new TablePriceCatalogSource(store, options, time);

        Assert.Null(await new ScheduledPriceRefresh(source, store, fixture.Tables, options, time, NullLogger<ScheduledPriceRefresh>.Instance).RunAsync());
        Assert.NotEmpty(source.Current.Models);
    }
}
