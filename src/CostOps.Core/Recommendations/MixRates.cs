namespace CostOps.Core.Recommendations;

/// <summary>
/// Per-token USD rates of one model for one case (below or above its long-context tier, standard or batch), with
/// every fallback and override the catalog applies already in them, so re-pricing a <see cref="TokenMix"/> is
/// multiplications only. Cache writes use the default (5 minute) price: usage events do not say which lifetime
/// a write had.
/// </summary>
public sealed record MixRates(decimal Input, decimal CacheRead, decimal CacheWrite, decimal Output, decimal RequestFee, bool BatchPrices)
{
    /// <summary>The mix's cost: uncached input, cache reads, cache writes and output at these rates, plus the fee per call.</summary>
    public decimal Cost(TokenMix mix)
    {
        // Producers occasionally report more cache tokens than input; pricing clamps per call, the mix clamps in sum.
        var uncached = Math.Max(0, mix.Input - mix.CachedInput - mix.CacheWrite);
        return uncached * Input + mix.CachedInput * CacheRead + mix.CacheWrite * CacheWrite + mix.Output * Output + mix.Requests * RequestFee;
    }
}
