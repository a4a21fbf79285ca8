using Microsoft.Extensions.Logging;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>
/// What the schedule does (<c>%RecommendationsSchedule%</c> in the Functions app, the same setting in <c>costops serve</c>):
/// a full run over the configured window, written as a new version, then the digest of what is new and worth it.
/// </summary>
public sealed class ScheduledRecommendationRun(RecommendationService service, RecommendationDigest digest, ILogger<ScheduledRecommendationRun> logger)
{
    public async Task<RecommendationRun> RunAsync(CancellationToken cancellationToken = default)
    {
        var run = await service.RunAsync(scheduled: true, cancellationToken: cancellationToken);
        try
        {
            await digest.SendAsync(run, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The run is stored either way; a failed digest must not fail the schedule (and re-run the analysis).
            logger.LogWarning(e, "Recommendation digest for run {RunId} failed.", run.RunId);
        }
        return run;
    }
}
