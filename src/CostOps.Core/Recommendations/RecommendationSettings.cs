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

    /// <summary>
    /// What a response cache costs, USD per 30 days: an assumption each response-cache recommendation subtracts whole.
    /// The default is Azure Cache for Redis Standard C0 (250 MB, replicated, with an SLA) at $0.055 an hour × 730 hours,
    /// a pay-as-you-go list price; set your own tier's price.
    /// </summary>
    public decimal ResponseCacheCost30dUsd { get; init; } = 40.15m;

    /// <summary>Repeated calls sampled above this temperature lower a response cache's confidence (their callers may want varied answers).</summary>
    public decimal HighTemperature { get; init; } = 0.5m;

    /// <summary>Distillation needs at least this many calls a day on average over the window.</summary>
    public long DistillationMinDailyCalls { get; init; } = 1_000;

    /// <summary>... and calls on at least this share (0 to 1) of the window's days.</summary>
    public decimal DistillationMinActiveDayShare { get; init; } = 0.8m;

    /// <summary>... and daily call counts whose coefficient of variation (standard deviation / mean, zero days included) is at most this.</summary>
    public decimal DistillationMaxDailyVariation { get; init; } = 0.5m;

    /// <summary>Training examples drawn from the scope's own calls (fewer when the window has fewer calls).</summary>
    public long DistillationTrainingExamples { get; init; } = 10_000;

    /// <summary>Passes over the training examples (each pass is billed).</summary>
    public int DistillationEpochs { get; init; } = 3;

    /// <summary>A fine-tuned model must pay back its training within this many days to be recommended.</summary>
    public int DistillationMaxBreakEvenDays { get; init; } = 90;
}
