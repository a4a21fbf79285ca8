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
}
