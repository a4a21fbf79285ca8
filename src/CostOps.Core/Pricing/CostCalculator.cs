namespace CostOps.Core.Pricing;

/// <summary>
/// The cost rules, in decimal only:
/// cost = uncached input × input + cache reads × cache read + cache writes × cache write + output × output (+ fee),
/// where uncached input = input − cache reads − cache writes. Strictly above the tier threshold (on total input
/// tokens) every component uses its above-tier price where one exists. Batch calls use batch prices when the model
/// has them. A missing cache-read (or cache-write) price bills those tokens at the input price, and the result says so.
/// Reasoning tokens are part of output and never billed twice.
/// </summary>
public static class CostCalculator
{
    /// <summary>Prices one call with one price version; <paramref name="discountPercent"/> applies to every component.</summary>
    public static CostComponents Calculate(ModelPrice price, in UsageTokens usage, out PricingFlags flags, decimal discountPercent = 0m) =>
        Calculate(new PriceRates(price), usage, DiscountFactor(discountPercent), out flags);

    /// <summary>The factor a discount in percent leaves to pay (15 → 0.85).</summary>
    public static decimal DiscountFactor(decimal discountPercent) => 1m - discountPercent / 100m;

    internal static CostComponents Calculate(PriceRates rates, in UsageTokens usage, decimal factor, out PricingFlags flags)
    {
        // Negative counts are producer bugs that validation rejects; clamping here keeps cost never negative regardless.
        var input = Math.Max(usage.Input, 0);
        var cached = Math.Max(usage.CachedInput, 0);
        var writes = Math.Max(usage.CacheWrite, 0);
        var writes1h = Math.Clamp(usage.CacheWrite1h, 0, writes);
        var output = Math.Max(usage.Output, 0);

        ref readonly var r = ref rates.For(input > rates.Threshold, usage.Batch);
        flags = r.Flags;

        var uncached = input - cached - writes;
        if (uncached < 0)
        {
            uncached = 0;
            flags |= PricingFlags.InconsistentTokens;
        }
        if (cached > 0 && r.CacheReadMissing) flags |= PricingFlags.CacheReadAtInputPrice;
        if (writes > 0 && r.CacheWriteMissing) flags |= PricingFlags.CacheWriteAtInputPrice;

        // Zero counts skip the decimal multiply: most calls have no cache writes and many no cache reads.
        var inputCost = uncached == 0 ? 0m : uncached * r.Input;
        var readCost = cached == 0 ? 0m : cached * r.CacheRead;
        var writeCost = writes == 0 ? 0m
            : writes1h == 0 ? writes * r.CacheWrite5m
            : (writes - writes1h) * r.CacheWrite5m + writes1h * r.CacheWrite1h;
        var outputCost = output == 0 ? 0m : output * r.Output;
        var fee = r.RequestFee;

        if (factor != 1m)
        {
            inputCost *= factor;
            readCost *= factor;
            writeCost *= factor;
            outputCost *= factor;
            fee *= factor;
        }
        return new CostComponents(inputCost, readCost, writeCost, outputCost, fee);
    }
}
