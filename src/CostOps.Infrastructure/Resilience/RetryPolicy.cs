using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace CostOps.Infrastructure.Resilience;

/// <summary>
/// How one dependency is retried (section <c>Resilience:NAME</c>): the pause after failed attempt n is
/// <see cref="InitialDelay"/> doubled n - 1 times, capped at <see cref="MaxDelay"/>, times a random factor in
/// [1 - <see cref="Jitter"/>, 1] so that many callers failing together do not retry in step.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>The pause after the first failed attempt, before jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan InitialDelay { get; set; }

    /// <summary>The longest pause, before jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; }

    /// <summary>The share of a pause that is random: 0 for exact pauses, 0.5 for pauses between half and all of it.</summary>
    [Range(0.0, 1.0)]
    public double Jitter { get; set; }

    /// <summary>Attempts in all, the first included; 0 for no limit (until it works or the caller cancels).</summary>
    [Range(0, 1_000)]
    public int MaxAttempts { get; set; }

    /// <summary>The pause after failed attempt <paramref name="attempt"/> (1-based), before jitter.</summary>
    public TimeSpan BaseDelay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, InitialDelay.Ticks * (1L << Math.Clamp(attempt - 1, 0, 30))));

    /// <summary>The pause after failed attempt <paramref name="attempt"/> (1-based), jitter included.</summary>
    public TimeSpan Delay(int attempt) =>
        TimeSpan.FromTicks((long)(BaseDelay(attempt).Ticks * (1 - Jitter * Random.Shared.NextDouble())));

    /// <summary>Whether another attempt is allowed after <paramref name="attempts"/> made.</summary>
    public bool AllowsAnotherAfter(int attempts) => MaxAttempts == 0 || attempts < MaxAttempts;

    /// <summary>
    /// This policy as a Polly pipeline for work retried in process (alert delivery retries across runs instead, from
    /// the outbox, with <see cref="Delay"/>): <paramref name="handles"/> says which failures are retried, the pauses
    /// run on <paramref name="time"/>, each retry is logged as <paramref name="what"/>.
    /// </summary>
    public ResiliencePipeline Pipeline(Func<Exception, bool> handles, TimeProvider time, ILogger logger, string what) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException && handles(e)),
                MaxRetryAttempts = MaxAttempts == 0 ? int.MaxValue : MaxAttempts - 1,
                // Our own pauses, the same formula everywhere (Polly's numbers attempts from 0).
                DelayGenerator = args => new ValueTask<TimeSpan?>(Delay(args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    logger.LogWarning(args.Outcome.Exception, "{What} failed (attempt {Attempt}); retrying in {Delay}", what, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .Build();
}
