namespace CostOps.Core.Pricing;

/// <summary>
/// Long-context prices, USD per 1M tokens, that apply when a call's total input tokens are strictly above
/// <see cref="ModelPrice.TierThresholdTokens"/>. A component left null keeps its base price.
/// </summary>
public sealed record TierPrices
{
    public decimal? Input { get; init; }
    public decimal? Output { get; init; }
    public decimal? CacheRead { get; init; }
    public decimal? CacheWrite5m { get; init; }
    public decimal? CacheWrite1h { get; init; }

    /// <summary>Batch input above the threshold; null keeps the base batch input price.</summary>
    public decimal? BatchInput { get; init; }

    /// <summary>Batch output above the threshold; null keeps the base batch output price.</summary>
    public decimal? BatchOutput { get; init; }
}
