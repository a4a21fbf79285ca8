using CostOps.Core.Ingestion;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>A batch parsed, validated and priced, waiting to be written (see <see cref="UsageIngestionHandler.Prepare"/>).</summary>
public sealed class PreparedBatch
{
    public List<(int Payload, int Index, PricedUsageEvent Row)> Events { get; } = [];

    public List<(int Payload, int Index, UsageEventRejection Rejection)> Rejects { get; } = [];

    /// <summary>Positions in <see cref="Events"/> of repeats within the batch (a (tenant, id) seen earlier in it).</summary>
    public HashSet<int> Repeats { get; } = [];

    /// <summary>
    /// The events already encoded for insert (all but the <see cref="Repeats"/>, in order) with the
    /// source they were written for, when <see cref="UsageIngestionHandler.Prepare"/> was given one: bulk loads encode on
    /// the preparing core. Used only when none of them is stored yet; otherwise the writer encodes the survivors itself.
    /// </summary>
    public (ReadOnlyMemory<byte> Block, string Source)? Encoded { get; set; }
}
