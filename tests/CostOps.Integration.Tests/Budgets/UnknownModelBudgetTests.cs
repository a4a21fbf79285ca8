using System.Text;
using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Budgets;

/// <summary>Unpriced traffic is never invisible: an unknown model, ingested through the real pipeline, counts against a budget at the fallback estimate, marked estimated.</summary>
public sealed class UnknownModelBudgetTests(ClickHouseFixture clickHouse) : IClassFixture<ClickHouseFixture>
{
    [Fact]
    public async Task An_unknown_model_counts_in_the_budget_tick_at_the_estimate_and_the_alert_says_so()
    {
        await using var receiver = new WebhookReceiver();
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var tenant = TestEnvironment.UniqueName("unpriced-");
        var handler = host.Ingestion;
        var at = BudgetTestHost.Start.AddHours(-1);
        var line = $$"""{"event_id":"{{Guid.NewGuid():N}}","timestamp":"{{at:yyyy-MM-ddTHH:mm:ssZ}}","tenant":"{{tenant}}","provider":"someone-new","model":"their-model-x","input_tokens":1000,"output_tokens":100}""";

        var summary = await handler.HandleAsync([Encoding.UTF8.GetBytes(line)], "test", CancellationToken.None);
        Assert.Equal((1, 1), (summary.Accepted, summary.Unpriced));

        // Live rollups are deferred (Ingestion:RollupIntervalMilliseconds): read them as the spend routes do, refreshed first.
        await host.Rollups.RefreshPendingAsync();
        // The documented default estimate for an unknown provider: $15 input, $75 output per 1M tokens.
        // 1,000 x 15 / 1e6 + 100 x 75 / 1e6 = 0.015 + 0.0075 = 0.0225.
        Assert.Equal("estimated_price\testimate:default@2000-01-01\t0.0225\t1\t0.0225\n", await host.ClickHouse.QueryAsync(
            $"SELECT any(price_status), any(price_version), toString(sum(cost_usd)), (SELECT sum(unpriced_requests) FROM spend_hourly FINAL WHERE tenant = '{tenant}'), (SELECT toString(sum(estimated_cost_usd)) FROM spend_hourly FINAL WHERE tenant = '{tenant}') FROM usage_events FINAL WHERE tenant = '{tenant}'", "TSV"));

        await host.Budgets.AddAsync(BudgetTestHost.Monthly("tiny", tenant, 0.02m, receiver.Url()));
        var report = await host.TickAsync();

        var status = Assert.Single(report.Statuses, s => s.BudgetId == "tiny");
        Assert.Equal(0.0225m, status.SpendUsd);
        Assert.Equal(0.0225m, status.EstimatedSpendUsd);
        var alert = Assert.Single(report.Enqueued, a => a.Threshold == 100);
        Assert.Contains("$0.02 is estimated for models without a price", alert.Summary);
        var delivered = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).First(r => r.TryGetProperty("threshold", out var t) && t.GetInt32() == 100);
        Assert.Equal(0.0225m, delivered.GetProperty("estimated_spend_usd").GetDecimal());
    }
}
