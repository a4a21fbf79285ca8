namespace CostOps.Core.Pricing;

/// <summary>
/// The outcome of pricing one call: status, what priced it (provider, canonical model, price version and override)
/// and the cost components. For <see cref="PriceStatus.UnknownModel"/> the cost is zero and the model fields are empty.
/// </summary>
public readonly record struct PricedCost(
    PriceStatus Status,
    ProviderId Provider,
    string? CanonicalModel,
    string? PriceVersion,
    string? OverrideVersion,
    CostComponents Components,
    PricingFlags Flags)
{
    /// <summary>The total cost, USD.</summary>
    public decimal Total => Components.Total;

    /// <summary>Whether the model's own price priced the call (not an unknown model, not the fallback estimate).</summary>
    public bool IsPriced => Status is PriceStatus.Priced or PriceStatus.EstimatedTokens;

    /// <summary>The unknown-model outcome: zero cost, flagged by status, never passed off as free.</summary>
    public static PricedCost Unknown(ProviderId provider) => new(PriceStatus.UnknownModel, provider, null, null, null, default, PricingFlags.None);
}
