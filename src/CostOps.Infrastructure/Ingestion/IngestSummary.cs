using CostOps.Core.Ingestion;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>What one batch did: counts, and the outcome of each event in order (for HTTP's per-event results).</summary>
public sealed class IngestSummary
{
    public int Accepted { get; set; }

    public int Rejected { get; set; }

    /// <summary>Events whose id was already stored (or repeated within the batch): counted here, never in a total.</summary>
    public int Duplicates { get; set; }

    /// <summary>Accepted events that no price covers (cost 0, status <c>unknown_model</c>): counted, never silent.</summary>
    public int Unpriced { get; set; }

    /// <summary>Accepted events whose token counts were estimated from text.</summary>
    public int Estimated { get; set; }

    public List<IngestOutcome> Outcomes { get; } = [];

    /// <summary>The events are stored but their rollup refresh failed: totals catch up at the next repair pass.</summary>
    public bool RollupsPending { get; set; }

    /// <summary>Counts an accepted event's pricing: unpriced (no price covers it) or priced from estimated tokens.</summary>
    public void CountPricing(PricedUsageEvent row)
    {
        if (!row.Cost.IsPriced) Unpriced++;
        if (row.Cost.Status == CostOps.Core.Pricing.PriceStatus.EstimatedTokens) Estimated++;
    }

    public void Add(IngestSummary other)
    {
        Accepted += other.Accepted;
        Rejected += other.Rejected;
        Duplicates += other.Duplicates;
        Unpriced += other.Unpriced;
        Estimated += other.Estimated;
    }
}

/// <summary>One event's fate: <c>accepted</c>, <c>duplicate</c> or <c>rejected</c> (with the reason).</summary>
public readonly record struct IngestOutcome(int Payload, int Index, string Status, string? EventId, UsageEventRejection? Rejection)
{
    public const string AcceptedStatus = "accepted";
    public const string DuplicateStatus = "duplicate";
    public const string RejectedStatus = "rejected";
}
