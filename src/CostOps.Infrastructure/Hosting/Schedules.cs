using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Pricing;
using CostOps.Infrastructure.Recommendations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// One scheduled job of CostOps: the Functions timer <see cref="Function"/> binds <c>%Setting%</c>; <c>serve</c> runs the
/// same job on the same setting; <see cref="Default"/> (NCRONTAB, seconds first) is what the deployment and the sample
/// settings set, and what <c>serve</c> uses when the setting is absent.
/// </summary>
public sealed record Schedule(string Function, string Setting, string Default, Func<IServiceProvider, CancellationToken, Task> Run);

/// <summary>Every scheduled job, declared once (a test compares it with the timer triggers, the Bicep and the sample settings).</summary>
public static class Schedules
{
    public static IReadOnlyList<Schedule> All { get; } =
    [
        new("BudgetEvaluation", "BudgetSchedule", "0 */5 * * * *",
            async (services, ct) => await services.GetRequiredService<BudgetEvaluator>().EvaluateAsync(ct)),
        new("AlertDelivery", "AlertDeliverySchedule", "30 * * * * *",
            async (services, ct) => await services.GetRequiredService<AlertDeliveryWorker>().RunOnceAsync(ct)),
        new("RecommendationsRun", "RecommendationsSchedule", "0 0 6 * * *",
            async (services, ct) => await services.GetRequiredService<ScheduledRecommendationRun>().RunAsync(ct)),
        new("PriceRefresh", "PriceRefreshSchedule", "0 */10 * * * *",
            async (services, ct) => await services.GetRequiredService<ScheduledPriceRefresh>().RunAsync(ct)),
        // Rebuilds rollup slices that disagree with the stored events (a crash between insert and rollup, or mid-reprice).
        new("RollupRepair", "RollupRepairSchedule", "0 */10 * * * *",
            async (services, ct) => await services.GetRequiredService<RollupRepair>().RepairRecentAsync(
                TimeSpan.FromHours(services.GetRequiredService<IOptions<IngestionOptions>>().Value.RepairLookbackHours), ct)),
    ];

    public static Schedule Named(string function) =>
        All.SingleOrDefault(s => s.Function == function) ?? throw new ArgumentException($"No schedule is named '{function}'.", nameof(function));

    /// <summary>Runs every job of <see cref="All"/> in this process, as the Functions app's timers do (<c>costops serve</c>).</summary>
    public static IServiceCollection AddCostOpsSchedules(this IServiceCollection services)
    {
        foreach (var schedule in All) services.AddScheduledJob(schedule.Setting, schedule.Default, schedule.Run);
        return services;
    }
}
