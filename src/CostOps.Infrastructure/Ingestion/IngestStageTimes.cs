namespace CostOps.Infrastructure.Ingestion;

/// <summary>Where ingestion time goes, summed over batches: what a benchmark reports and an optimisation starts from.</summary>
public sealed class IngestStageTimes
{
    public TimeSpan Parse { get; set; }

    public TimeSpan DuplicateCheck { get; set; }

    public TimeSpan PriceAndEncode { get; set; }

    public TimeSpan Write { get; set; }

    public TimeSpan Rollups { get; set; }
}
