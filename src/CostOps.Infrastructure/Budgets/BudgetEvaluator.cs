using System.Diagnostics;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Alerts;
using Microsoft.Extensions.Logging;

namespace CostOps.Infrastructure.Budgets;

/// <summary>
/// One evaluation tick for every enabled budget: periods at now, spend in a bounded number of grouped ClickHouse
/// queries, forecast, the alert decision against the period's sent set, and the exactly-once enqueue. Safe to run
/// on several instances at the same moment (the outbox decides who enqueues). Each tick also sends the unknown-model
/// pricing notices (<see cref="PricingNoticeService"/>).
/// </summary>
public sealed class BudgetEvaluator(
    IBudgetStore store,
    BudgetSpendReader spendReader,
    AlertOutbox outbox,
    AlertRecorder recorder,
    TimeProvider time,
    ILogger<BudgetEvaluator> logger,
    PricingNoticeService? notices = null,
    Telemetry.CostOpsTelemetry? telemetry = null)
{
    public async Task<EvaluationReport> EvaluateAsync(CancellationToken cancellationToken = default)
    {
        using var tick = telemetry?.StartBudgetTick();
        try
        {
            var report = await EvaluateOnceAsync(cancellationToken);
            tick?.Activity?.SetTag("costops.budgets.evaluated", report.Statuses.Count);
            tick?.Activity?.SetTag("costops.budgets.alerts_enqueued", report.Enqueued.Count);
            tick?.Complete();
            return report;
        }
        catch (Exception e) when (Telemetry.TelemetryOperation.Fail(tick, e))
        {
            throw; // never reached: the filter notes the failure and declines
        }
    }

    private async Task<EvaluationReport> EvaluateOnceAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var now = time.GetUtcNow();
        var budgets = (await store.ListAsync(cancellationToken))
            .Where(b => b.Budget.Enabled)
            .Select(b => (b.Budget, Period: BudgetPeriods.Current(b.Budget, now)))
            .ToList();

        // Spend (ClickHouse) and the sent markers (Tables) are independent: read them at the same time.
        var sentTask = outbox.SentAsync(budgets.Select(b => b.Period.Key), cancellationToken);
        var queryWatch = Stopwatch.StartNew();
        IReadOnlyDictionary<string, BudgetSpend> spend;
        using (telemetry?.StartActivity("costops.budgets.spend")) spend = await spendReader.ReadAsync(budgets, now, cancellationToken);
        queryWatch.Stop();
        var sent = await sentTask;

        var statuses = new List<BudgetStatus>(budgets.Count);
        var decided = new List<(Budget Budget, BudgetAlert Alert)>();
        foreach (var (budget, period) in budgets)
        {
            var s = spend[budget.Id];
            var forecast = BudgetForecast.AtPeriodEnd(period, now, s.PeriodSpendUsd, s.TrailingDaysUsd);
            statuses.Add(BudgetStatus.Of(budget, period, s.PeriodSpendUsd, forecast, now) with { EstimatedSpendUsd = s.PeriodEstimatedUsd });
            var already = sent.GetValueOrDefault((budget.Id, period.Key)) ?? [];
            foreach (var alert in AlertDecider.Decide(budget, period, s.PeriodSpendUsd, forecast, already, now))
            {
                decided.Add((budget, alert with { EstimatedSpendUsd = s.PeriodEstimatedUsd }));
            }
        }

        // Enqueues are independent Azure Tables requests; a few in flight keep a tick with many crossings short.
        var enqueued = new System.Collections.Concurrent.ConcurrentBag<BudgetAlert>();
        await Parallel.ForEachAsync(decided, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (d, ct) =>
            {
                if (!await outbox.EnqueueAsync(d.Alert, d.Budget.Channels, ct)) return;
                enqueued.Add(d.Alert);
                logger.LogInformation("Budget {BudgetId}: {Threshold}% {Kind} crossed in {Period}; alert {AlertId} enqueued.",
                    d.Budget.Id, d.Alert.Threshold, d.Alert.Kind, d.Alert.Period.Key, d.Alert.AlertId);
            });
        await recorder.RecordAsync(decided.Select(d => (d.Alert, (IReadOnlyList<string>)d.Budget.Channels.Targets().Select(t => t.Channel).ToList())).ToList(), cancellationToken);
        // Unpriced traffic counts in the spend above at an estimate: each tenant hears once per such model that it should add a price.
        if (notices is not null) await notices.NotifyUnknownModelsAsync(cancellationToken);

        return new EvaluationReport(now, statuses, enqueued.OrderBy(a => a.BudgetId, StringComparer.Ordinal).ThenBy(a => a.Key, StringComparer.Ordinal).ToList(), watch.Elapsed, queryWatch.Elapsed);
    }
}
