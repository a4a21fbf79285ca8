using CostOps.Infrastructure.Recommendations;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Recommendations;

/// <summary>The scheduled analysis and digest, on the <c>%RecommendationsSchedule%</c> NCRONTAB app setting.</summary>
public sealed class RecommendationTimerFunction(ScheduledRecommendationRun scheduled)
{
    [Function("RecommendationsRun")]
    public async Task Run([TimerTrigger("%RecommendationsSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        await scheduled.RunAsync(cancellationToken);
}
