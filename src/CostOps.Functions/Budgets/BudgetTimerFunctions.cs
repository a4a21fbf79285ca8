using CostOps.Infrastructure.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Budgets;

/// <summary>
/// The timers of budget evaluation (<c>%BudgetSchedule%</c>) and alert delivery (<c>%AlertDeliverySchedule%</c>), as
/// declared in <see cref="Schedules"/>. Several instances may fire at once: the outbox and ETags keep alerts exactly-once.
/// </summary>
public sealed class BudgetTimerFunctions(IServiceProvider services)
{
    [Function("BudgetEvaluation")]
    public Task Evaluate([TimerTrigger("%BudgetSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Schedules.Named("BudgetEvaluation").Run(services, cancellationToken);

    [Function("AlertDelivery")]
    public Task Deliver([TimerTrigger("%AlertDeliverySchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Schedules.Named("AlertDelivery").Run(services, cancellationToken);
}
