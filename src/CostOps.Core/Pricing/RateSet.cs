namespace CostOps.Core.Pricing;

/// <summary>Per-token rates (USD) for one case of one price version; see <see cref="PriceRates"/>.</summary>
internal readonly record struct RateSet(
    decimal Input,
    decimal CacheRead,
    decimal CacheWrite5m,
    decimal CacheWrite1h,
    decimal Output,
    decimal RequestFee,
    PricingFlags Flags,
    bool CacheReadMissing,
    bool CacheWriteMissing);
