using CostOps.Core.Ingestion;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>A batch parsed, validated and priced, waiting to be written (see <see cref="UsageIngestionHandler.Prepare"/>).</summary>
public sealed class PreparedBatch
{
    public List<(int Payload, int Index, PricedUsageEvent Row)> Events { get; } = [];

    public List<(int Payload, int Index, UsageEventRejection Rejection)> Rejects { get; } = [];
}
