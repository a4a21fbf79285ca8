namespace CostOps.Core.Pricing;

/// <summary>
/// Prices, USD per 1M tokens, that replace some base components in one case: above the long-context threshold (when a
/// call's total input tokens are strictly above <see cref="ModelPrice.TierThresholdTokens"/>), or at a service tier
/// (priority, flex). A component left null keeps its base price.
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

    /// <summary>These prices multiplied by <paramref name="factor"/>.</summary>
    public TierPrices Scaled(decimal factor) => this with
    {
        Input = Input * factor,
        Output = Output * factor,
        CacheRead = CacheRead * factor,
        CacheWrite5m = CacheWrite5m * factor,
        CacheWrite1h = CacheWrite1h * factor,
        BatchInput = BatchInput * factor,
        BatchOutput = BatchOutput * factor,
    };
}
