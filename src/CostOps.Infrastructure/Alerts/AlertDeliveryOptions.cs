using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.Alerts;

/// <summary>Retry policy of alert delivery (section <c>AlertDelivery</c>).</summary>
public sealed class AlertDeliveryOptions
{
    public const string SectionName = "AlertDelivery";

    /// <summary>Attempts per alert and channel, the first included; then the row is <c>failed</c>.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the second attempt; doubles per attempt, times a random factor in [0.5, 1] (jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of one delay before jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Outbox rows taken per run.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Deliveries in flight at once.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 4;
}
