using CostOps.Infrastructure.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Recommendations;

/// <summary>The scheduled analysis and digest, on the <c>%RecommendationsSchedule%</c> app setting (see <see cref="Schedules"/>).</summary>
public sealed class RecommendationTimerFunction(IServiceProvider services)
{
    [Function("RecommendationsRun")]
    public Task Run([TimerTrigger("%RecommendationsSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Schedules.Named("RecommendationsRun").Run(services, cancellationToken);
}
