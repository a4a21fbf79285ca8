using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>Limits of the HTTP ingestion route.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Largest request body <c>POST /api/usage</c> takes, in bytes; bigger bodies get 413.</summary>
    [Range(1_024, 256 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 8 * 1024 * 1024;
}
