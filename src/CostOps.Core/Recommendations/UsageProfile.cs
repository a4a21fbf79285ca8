namespace CostOps.Core.Recommendations;

/// <summary>
/// What a scope's traffic looked like over the analysed window: the priced slices of its token mix and the signals the
/// rules weigh (largest prompt, long outputs, errors, repetition, unpriced calls). Built from grouped ClickHouse queries.
/// </summary>
public sealed record UsageProfile
{
    public required TrafficScope Scope { get; init; }

    /// <summary>The traffic by tier slice, batch and interactivity; their mixes add up to the scope's traffic.</summary>
    public required IReadOnlyList<MixSlice> Slices { get; init; }

    /// <summary>Calls with a status other than <c>ok</c>.</summary>
    public long Errors { get; init; }

    /// <summary>The largest prompt seen (input tokens): a substitute's context window must hold it.</summary>
    public long MaxInputTokens { get; init; }

    /// <summary>The largest output seen (tokens): a substitute must be able to produce it.</summary>
    public long MaxOutputTokens { get; init; }

    /// <summary>Calls whose output exceeded <see cref="RecommendationSettings.LongOutputTokens"/>.</summary>
    public long LongOutputRequests { get; init; }

    /// <summary>Calls whose model had no price (<c>price_status</c> unknown_model, or estimated_price at the fallback estimate).</summary>
    public long UnpricedRequests { get; init; }

    public PromptRepeats Repeats { get; init; } = PromptRepeats.None;

    /// <summary>Identical requests and what a response cache would have answered (empty without <c>request_hash</c>).</summary>
    public RequestRepeats RequestRepeats { get; init; } = RequestRepeats.None;

    /// <summary>Daily steadiness; null when not read (the scope's model is too small to distil).</summary>
    public DailyVolume? Volume { get; init; }

    /// <summary>Every call of the scope.</summary>
    public TokenMix Total => Slices.Aggregate(TokenMix.Zero, (sum, s) => sum + s.Mix);

    public decimal RecordedCostUsd => Slices.Sum(s => s.RecordedCostUsd);

    /// <summary>Share of calls that failed, 0 to 1.</summary>
    public decimal ErrorRate => Total.Requests == 0 ? 0m : (decimal)Errors / Total.Requests;
}
