namespace CostOps.Core.Pricing;

/// <summary>
/// Rates for one case of one price version (see <see cref="PriceRates"/>), twice: as decimal USD per token, and,
/// when every price is a whole number of nano-dollars per 1M tokens (all real prices are), as integers in that unit,
/// so a cost is an exact 128-bit integer product in femto-dollars (1e-15 USD) instead of a slower decimal multiply.
/// </summary>
internal readonly record struct RateSet(
    decimal Input,
    decimal CacheRead,
    decimal CacheWrite5m,
    decimal CacheWrite1h,
    decimal Output,
    decimal RequestFee,
    PricingFlags Flags,
    bool CacheReadMissing,
    bool CacheWriteMissing)
{
    /// <summary>Whether the integer rates below are exact (else only the decimal rates are used).</summary>
    public bool Integral { get; init; }

    /// <summary>USD × 1e9 per 1M tokens, i.e. femto-dollars per token.</summary>
    public long InputUnits { get; init; }

    public long CacheReadUnits { get; init; }

    public long CacheWrite5mUnits { get; init; }

    public long CacheWrite1hUnits { get; init; }

    public long OutputUnits { get; init; }

    /// <summary>The request fee in femto-dollars.</summary>
    public long RequestFeeUnits { get; init; }
}
