namespace CostOps.Core.Recommendations;

/// <summary>
/// One recommended change with the money it moves. <see cref="ObservedCostUsd"/> and <see cref="ProjectedCostUsd"/> are
/// the analysed window's traffic priced at today's prices as it ran and as it would run with the change;
/// <see cref="EstimatedSavings30dUsd"/> is their difference scaled to 30 days. All money is decimal.
/// </summary>
public sealed record Recommendation
{
    /// <summary>
    /// Stable across runs for the same proposal (kind, scope, current and suggested model): what accept and dismiss key
    /// on and how a digest tells a new recommendation from one already announced.
    /// </summary>
    public string Id { get; init; } = "";

    public required RecommendationKind Kind { get; init; }

    public required string Tenant { get; init; }

    /// <summary>Empty when the recommendation spans the tenant's projects (budget pressure on a tenant-wide budget).</summary>
    public string Project { get; init; } = "";

    public string Feature { get; init; } = "";

    public string Provider { get; init; } = "";

    public string CurrentModel { get; init; } = "";

    /// <summary>The model to route to; the same as <see cref="CurrentModel"/> for caching and batch changes, empty for unpriced traffic.</summary>
    public string SuggestedModel { get; init; } = "";

    /// <summary>The provider of <see cref="SuggestedModel"/> (substitutions stay with the provider).</summary>
    public string SuggestedProvider { get; init; } = "";

    /// <summary>Calls in the analysed window the recommendation is based on.</summary>
    public long Requests { get; init; }

    public decimal ObservedCostUsd { get; init; }

    public decimal ProjectedCostUsd { get; init; }

    public decimal EstimatedSavings30dUsd { get; init; }

    /// <summary>The share of the scope's traffic to move, 0 to 1 (1 for everything; budget pressure moves the smallest share that suffices).</summary>
    public decimal TrafficShare { get; init; } = 1m;

    /// <summary>0 to 1, two decimals: how sure the rule is that the change keeps the work's quality.</summary>
    public decimal Confidence { get; init; }

    /// <summary>Why, with the figures and the risk signals that lowered the confidence.</summary>
    public string Rationale { get; init; } = "";

    /// <summary>The budget behind a budget-pressure recommendation; empty otherwise.</summary>
    public string BudgetId { get; init; } = "";

    /// <summary>Figures a kind states beyond the common ones (per cache lifetime, fine-tuning cost, break-even), as exact text.</summary>
    public RecommendationDetails Details { get; init; } = RecommendationDetails.None;
}
