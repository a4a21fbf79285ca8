using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Budgets;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Budgets;

/// <summary>
/// The schedules: budget evaluation (<c>%BudgetSchedule%</c>) and alert delivery (<c>%AlertDeliverySchedule%</c>),
/// both NCRONTAB app settings. Several instances may fire at once: the outbox and ETags keep alerts exactly-once.
/// </summary>
public sealed class BudgetTimerFunctions(BudgetEvaluator evaluator, AlertDeliveryWorker delivery)
{
    [Function("BudgetEvaluation")]
    public async Task Evaluate([TimerTrigger("%BudgetSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        await evaluator.EvaluateAsync(cancellationToken);

    [Function("AlertDelivery")]
    public async Task Deliver([TimerTrigger("%AlertDeliverySchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        await delivery.RunOnceAsync(cancellationToken);
}
