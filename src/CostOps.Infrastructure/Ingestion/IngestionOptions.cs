using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>Limits of ingestion (every path) and of the HTTP ingestion route.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Largest request body <c>POST /api/usage</c> takes, in bytes; bigger bodies get 413.</summary>
    [Range(1_024, 256 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Depth of the timestamp accept window, in days: an event older than this (by the host's clock) is refused with
    /// <c>timestamp_before_window</c>. Widen it to load older history.
    /// </summary>
    [Range(1, 36_500)]
    public int MaxEventAgeDays { get; set; } = 400;

    /// <summary>
    /// Most events one HTTP request body (or one Event Hubs message) may hold; more is refused whole
    /// (413, <c>payload_too_many_events</c>) before anything is stored, so a hostile body costs bounded work.
    /// Bulk loads (<c>costops ingest</c>) are not limited.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxEventsPerRequest { get; set; } = 10_000;

    /// <summary>
    /// Hours back the repair pass (<see cref="RollupRepair"/>) checks rollups against events, at start-up and on
    /// <c>RollupRepairSchedule</c>: covers a crash or failed refresh between an insert and its rollup.
    /// </summary>
    [Range(1, 24 * 400)]
    public int RepairLookbackHours { get; set; } = 48;
}
