using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.Alerts;

/// <summary>How much alert delivery does per run (section <c>AlertDelivery</c>); its retries are <c>Resilience:AlertDelivery</c>'s.</summary>
public sealed class AlertDeliveryOptions
{
    public const string SectionName = "AlertDelivery";

    /// <summary>Outbox rows taken per run.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Deliveries in flight at once.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 4;
}
