using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.EventHubs;

/// <summary>Event Hubs ingestion. Off unless a connection string is set.</summary>
public sealed class EventHubsOptions
{
    public const string SectionName = "EventHubs";

    /// <summary>Connection string of the namespace (or of the hub, with EntityPath).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Event hub name.</summary>
    public string HubName { get; set; } = "usage";

    /// <summary>Consumer group CostOps reads with (give it its own).</summary>
    public string ConsumerGroup { get; set; } = "costops";

    /// <summary>Most events handed to one batch (and so held in memory per partition).</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 1_000;

    /// <summary>Seconds a batch waits to fill before it is handed over anyway.</summary>
    [Range(0.05, 60)]
    public double MaxWaitSeconds { get; set; } = 1;

    /// <summary>
    /// A batch held unstored longer than this (seconds; an outage being retried) makes the health check answer 503,
    /// naming the backlog: the partition behind it is stuck.
    /// </summary>
    [Range(1, 86_400)]
    public int MaxPendingBatchAgeSeconds { get; set; } = 300;

    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);
}
