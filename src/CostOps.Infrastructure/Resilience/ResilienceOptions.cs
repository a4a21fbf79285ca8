using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Resilience;

/// <summary>
/// How every dependency is retried, in one section (<c>Resilience</c>), one <see cref="RetryPolicy"/> each: Event Hubs
/// batches until they are stored, webhook deliveries from the outbox, ClickHouse server reads and deduplicated inserts;
/// and the ClickHouse server's attempt timeout and circuit breaker (<see cref="CircuitPolicy"/>).
/// </summary>
public sealed class ResilienceOptions
{
    public const string SectionName = "Resilience";

    /// <summary>
    /// An Event Hubs batch is retried until it is stored, never skipped (its partition's checkpoint must not pass it):
    /// 200 ms doubling to 30 s, 10% jitter.
    /// </summary>
    public RetryPolicy EventHubs { get; set; } = new() { InitialDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(30), Jitter = 0.1 };

    /// <summary>
    /// A webhook delivery: 8 attempts, 30 s doubling to 30 min, half of each pause random; then the outbox row is
    /// <c>failed</c> (shown by <c>costops alerts list</c>).
    /// </summary>
    public RetryPolicy AlertDelivery { get; set; } = new() { InitialDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromMinutes(30), Jitter = 0.5, MaxAttempts = 8 };

    /// <summary>
    /// A ClickHouse server that did not answer (no connection, no answer in time), for reads and inserts carrying a
    /// deduplication token, which are safe to repeat: 3 attempts, 200 ms doubling to 2 s; then the caller gets 503.
    /// </summary>
    public RetryPolicy ClickHouse { get; set; } = new() { InitialDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2), Jitter = 0.5, MaxAttempts = 3 };

    /// <summary>
    /// Every ClickHouse server request, retried or not: an attempt is abandoned after 2 minutes (a report or a
    /// recommendation run over a large month takes seconds); when half of the requests of the last 30 s failed (10 at
    /// least), requests fail at once (503) for 15 s instead of each waiting on a server that is down.
    /// </summary>
    public CircuitPolicy ClickHouseCircuit { get; set; } = new()
    {
        AttemptTimeout = TimeSpan.FromMinutes(2), FailureRatio = 0.5, MinimumThroughput = 10, SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(15),
    };

    /// <summary>Each policy by its setting name.</summary>
    public IEnumerable<(string Name, RetryPolicy Policy)> Policies =>
        [(nameof(EventHubs), EventHubs), (nameof(AlertDelivery), AlertDelivery), (nameof(ClickHouse), ClickHouse)];
}

/// <summary>Validates every policy of <see cref="ResilienceOptions"/>, naming the setting of each failure.</summary>
public sealed class ResilienceOptionsValidator : IValidateOptions<ResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, ResilienceOptions options)
    {
        var failures = new List<string>();
        foreach (var (policyName, policy) in options.Policies)
        {
            var prefix = Annotations(policyName, policy, failures);
            if (policy.MaxDelay < policy.InitialDelay) failures.Add($"{prefix}MaxDelay must be at least {prefix}InitialDelay.");
        }
        Annotations(nameof(ResilienceOptions.ClickHouseCircuit), options.ClickHouseCircuit, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Adds <paramref name="policy"/>'s data-annotation failures, each named by its setting; returns the settings' prefix.</summary>
    private static string Annotations(string name, object policy, List<string> failures)
    {
        var prefix = $"{ResilienceOptions.SectionName}:{name}:";
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(policy, new ValidationContext(policy), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => prefix + string.Join(",", r.MemberNames) + ": " + r.ErrorMessage));
        }
        return prefix;
    }
}
