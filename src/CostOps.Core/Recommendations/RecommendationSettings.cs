namespace CostOps.Core.Recommendations;

/// <summary>The thresholds the rules apply. Defaults are deliberately conservative; hosts bind them from configuration.</summary>
public sealed record RecommendationSettings
{
    /// <summary>Fewer calls than this in the window lower confidence ("few samples").</summary>
    public long MinSamples { get; init; } = 100;

    /// <summary>An output above this many tokens is long; more than <see cref="LongOutputShare"/> of such calls lowers confidence.</summary>
    public long LongOutputTokens { get; init; } = 2_000;

    /// <summary>The share of long outputs (0 to 1) above which they are a risk signal: 0.05 means "the 95th percentile is long".</summary>
    public decimal LongOutputShare { get; init; } = 0.05m;

    /// <summary>An error share above this (0 to 1) lowers confidence ("high error rate").</summary>
    public decimal HighErrorRate { get; init; } = 0.05m;

    /// <summary>Prompts shorter than this cannot be cached by the providers (OpenAI and Anthropic: 1,024 tokens).</summary>
    public long MinCacheablePrefixTokens { get; init; } = 1_024;

    /// <summary>Repeated prefixes already read from cache at this share or more (0 to 1) are left alone.</summary>
    public decimal CachedShareEnough { get; init; } = 0.5m;

    /// <summary>Unpriced calls above this share of a tenant's calls (0 to 1) are reported.</summary>
    public decimal UnpricedShareThreshold { get; init; } = 0.01m;

    /// <summary>Savings below this (USD per 30 days) are not worth a recommendation.</summary>
    public decimal MinSavings30dUsd { get; init; } = 0.01m;
}
