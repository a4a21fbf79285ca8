using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CostOps.Infrastructure.Resilience;

/// <summary>
/// How long one attempt on a dependency may take, and when to stop calling it for a while (section
/// <c>Resilience:NAME</c>): once at least <see cref="FailureRatio"/> of the calls in the last <see cref="SamplingDuration"/>
/// failed (<see cref="MinimumThroughput"/> calls at least), calls fail at once for <see cref="BreakDuration"/> instead of
/// each waiting on a dependency that is down; then one trial call decides whether it is back.
/// </summary>
public sealed class CircuitPolicy
{
    /// <summary>An attempt not answered in this time is abandoned and counts as a failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan AttemptTimeout { get; set; }

    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; }

    [Range(2, 1_000_000)]
    public int MinimumThroughput { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan SamplingDuration { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; }

    /// <summary>
    /// This policy as a Polly pipeline (timeout inside the breaker, so a timed-out attempt counts): <paramref name="failures"/>
    /// says which exceptions count as the dependency failing (a refused statement does not); openings are logged as
    /// <paramref name="what"/>. Callers meet <see cref="TimeoutRejectedException"/> and <see cref="BrokenCircuitException"/>.
    /// </summary>
    public ResiliencePipeline Pipeline(Func<Exception, bool> failures, TimeProvider time, ILogger logger, string what) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is TimeoutRejectedException || (e is not OperationCanceledException && failures(e))),
                FailureRatio = FailureRatio,
                MinimumThroughput = MinimumThroughput,
                SamplingDuration = SamplingDuration,
                BreakDuration = BreakDuration,
                OnOpened = args =>
                {
                    logger.LogError(args.Outcome.Exception, "{What} kept failing; calls fail at once for {Break}", what, args.BreakDuration);
                    return default;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("{What} answers again", what);
                    return default;
                },
            })
            .AddTimeout(AttemptTimeout)
            .Build();
}
