using CostOps.Infrastructure.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Ingestion;

/// <summary>
/// The rollup repair pass on the <c>%RollupRepairSchedule%</c> app setting (see <see cref="Schedules"/>): rebuilds the
/// recent hourly and daily rollups that disagree with the stored events, so a crash between an insert and its rollup
/// refresh is repaired without a producer's retry. Several instances may run it at once: it only recomputes.
/// </summary>
public sealed class RollupRepairFunction(IServiceProvider services)
{
    [Function("RollupRepair")]
    public Task Run([TimerTrigger("%RollupRepairSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Schedules.Named("RollupRepair").Run(services, cancellationToken);
}
