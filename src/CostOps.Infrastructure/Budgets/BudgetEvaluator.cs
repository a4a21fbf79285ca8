using System.Diagnostics;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Alerts;
using Microsoft.Extensions.Logging;

namespace CostOps.Infrastructure.Budgets;

/// <summary>
/// One evaluation tick for every enabled budget: periods at now, spend in a bounded number of grouped ClickHouse
/// queries, forecast, the alert decision against the period's sent set, and the exactly-once enqueue. Safe to run
/// on several instances at the same moment (the outbox decides who enqueues).
/// </summary>
public sealed class BudgetEvaluator(
    IBudgetStore store,
    BudgetSpendReader spendReader,
    AlertOutbox outbox,
    TimeProvider time,
    ILogger<BudgetEvaluator> logger)
{
    public async Task<EvaluationReport> EvaluateAsync(CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var now = time.GetUtcNow();
        var budgets = (await store.ListAsync(cancellationToken))
            .Where(b => b.Budget.Enabled)
            .Select(b => (b.Budget, Period: BudgetPeriods.Current(b.Budget, now)))
            .ToList();

        var queryWatch = Stopwatch.StartNew();
        var spend = await spendReader.ReadAsync(budgets, now, cancellationToken);
        queryWatch.Stop();
        var sent = await outbox.SentAsync(budgets.Select(b => b.Period.Key), cancellationToken);

        var statuses = new List<BudgetStatus>(budgets.Count);
        var enqueued = new List<BudgetAlert>();
        foreach (var (budget, period) in budgets)
        {
            var s = spend[budget.Id];
            var forecast = BudgetForecast.AtPeriodEnd(period, now, s.PeriodSpendUsd, s.TrailingDaysUsd);
            statuses.Add(BudgetStatus.Of(budget, period, s.PeriodSpendUsd, forecast, now));
            var already = sent.GetValueOrDefault((budget.Id, period.Key)) ?? [];
            foreach (var alert in AlertDecider.Decide(budget, period, s.PeriodSpendUsd, forecast, already, now))
            {
                if (await outbox.EnqueueAsync(alert, budget.Channels, cancellationToken))
                {
                    enqueued.Add(alert);
                    logger.LogInformation("Budget {BudgetId}: {Threshold}% {Kind} crossed in {Period}; alert {AlertId} enqueued.",
                        budget.Id, alert.Threshold, alert.Kind, period.Key, alert.AlertId);
                }
            }
        }
        return new EvaluationReport(now, statuses, enqueued, watch.Elapsed, queryWatch.Elapsed);
    }
}
