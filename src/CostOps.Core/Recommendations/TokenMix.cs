namespace CostOps.Core.Recommendations;

/// <summary>
/// Summed token counts of many calls, with the usage-event semantics (<see cref="CachedInput"/> and
/// <see cref="CacheWrite"/> are parts of <see cref="Input"/>; <see cref="Reasoning"/> is part of <see cref="Output"/>).
/// Prices are linear in tokens, so a mix priced at per-token rates costs exactly what its calls cost one by one,
/// as long as every call in it sits on the same side of a long-context tier (see <see cref="MixSlice"/>).
/// </summary>
public readonly record struct TokenMix(long Requests, long Input, long Output, long CachedInput = 0, long CacheWrite = 0, long Reasoning = 0)
{
    public static TokenMix Zero => default;

    public static TokenMix operator +(TokenMix a, TokenMix b) => new(
        a.Requests + b.Requests, a.Input + b.Input, a.Output + b.Output,
        a.CachedInput + b.CachedInput, a.CacheWrite + b.CacheWrite, a.Reasoning + b.Reasoning);
}
