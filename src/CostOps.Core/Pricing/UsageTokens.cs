namespace CostOps.Core.Pricing;

/// <summary>
/// The token counts of one call, with OpenTelemetry GenAI semantics: <see cref="Input"/> counts every prompt token,
/// cache reads and cache writes included; <see cref="Reasoning"/> is part of <see cref="Output"/> and is never billed twice.
/// </summary>
/// <param name="Input">All prompt tokens (cache reads and writes included).</param>
/// <param name="Output">All completion tokens (reasoning included).</param>
/// <param name="CachedInput">Cache reads, part of <paramref name="Input"/>.</param>
/// <param name="CacheWrite">Cache writes, part of <paramref name="Input"/>.</param>
/// <param name="CacheWrite1h">The part of <paramref name="CacheWrite"/> written with a 1 hour lifetime (Anthropic).</param>
/// <param name="Reasoning">Reasoning tokens, part of <paramref name="Output"/>; informational for cost.</param>
/// <param name="Batch">Whether the call went through a batch API.</param>
/// <param name="Estimated">Whether the counts were estimated by a tokenizer rather than reported by the provider.</param>
/// <param name="Units">Units that are not tokens (images, seconds, characters, web searches), priced per unit.</param>
/// <param name="ServiceTier">The processing tier the call was served at (priority, flex).</param>
public readonly record struct UsageTokens(
    long Input,
    long Output,
    long CachedInput = 0,
    long CacheWrite = 0,
    long CacheWrite1h = 0,
    long Reasoning = 0,
    bool Batch = false,
    bool Estimated = false,
    UsageUnits Units = default,
    ServiceTier ServiceTier = ServiceTier.Standard);
