using System.Text;
using CostOps.Core.Pricing;
using CostOps.Infrastructure.Ingestion;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

public sealed class RepriceTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private sealed class FixedPrices(PriceCatalog catalog) : IPriceCatalogSource
    {
        public PriceCatalog Current => catalog;
    }

    [Fact]
    public async Task A_price_fix_reprices_history_and_rollups_without_counting_anything_twice()
    {
        // chat-prod is the tenant's Azure deployment name: unknown (cost 0) until someone adds the alias.
        var lines = string.Join('\n', Enumerable.Range(0, 10).Select(i =>
            $"{{\"event_id\":\"rp-{i}\",\"timestamp\":\"2026-11-27T0{i % 3}:15:00Z\",\"tenant\":\"rp\",\"provider\":\"openai\",\"model\":\"chat-prod\",\"input_tokens\":1000,\"output_tokens\":100}}"));
        var first = await fixture.Handler.HandleAsync([Encoding.UTF8.GetBytes(lines)], "test", CancellationToken.None);
        Assert.Equal(10, first.Unpriced);

        var fixedCatalog = BundledCatalog.Load().ToCatalog(aliases: [new ModelAlias("rp", "chat-prod", "gpt-4o")]);
        var repricer = new Repricer(fixture.ClickHouse, fixture.Catalog, new FixedPrices(fixedCatalog), fixture.Rollups,
            new RollupRepair(fixture.ClickHouse, fixture.Catalog, fixture.Rollups, fixture.Time), fixture.Time);
        var summary = await repricer.RepriceAsync(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero), "rp");

        // gpt-4o: 1000 x $2.50/M + 100 x $10/M = $0.0035 per call.
        Assert.Equal((10, 10), (summary.Events, summary.Changed));
        Assert.Equal(0.035m, summary.CostAfter);
        Assert.Equal("10\t0.035\n", await fixture.ClickHouse.QueryAsync("SELECT count(), sum(cost_usd) FROM usage_events FINAL WHERE tenant = 'rp'", "TSV"));
        Assert.Equal("gpt-4o\t10\t0.035\t0\n", await fixture.ClickHouse.QueryAsync(
            "SELECT model, sum(requests), sum(cost_usd), sum(unpriced_requests) FROM spend_hourly FINAL WHERE tenant = 'rp' GROUP BY model", "TSV"));
        Assert.Equal("10\t0.035\n", await fixture.ClickHouse.QueryAsync("SELECT sum(requests), sum(cost_usd) FROM spend_daily FINAL WHERE tenant = 'rp'", "TSV"));

        // Running it again changes nothing: judged by the stored totals read back, not by the repricer's own counter.
        var totals = await fixture.TotalsAsync();
        var again = await repricer.RepriceAsync(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero), "rp");
        Assert.Equal(totals, await fixture.TotalsAsync());
        Assert.Equal("10\t0.035\n", await fixture.ClickHouse.QueryAsync("SELECT count(), sum(cost_usd) FROM usage_events FINAL WHERE tenant = 'rp'", "TSV"));
        Assert.Equal(0, again.Changed);
    }
}
