namespace CostOps.Core.Pricing;

/// <summary>
/// The cost rules, exact (decimal, never floating point):
/// cost = uncached input × input + cache reads × cache read + cache writes × cache write + output × output (+ fee),
/// where uncached input = input − cache reads − cache writes. Strictly above the tier threshold (on total input
/// tokens) every component uses its above-tier price where one exists. Batch calls use batch prices when the model
/// has them. A missing cache-read (or cache-write) price bills those tokens at the input price, and the result says so.
/// Reasoning tokens are part of output and never billed twice. A discount scales every price, so components still
/// add up to the total exactly. Units that are not tokens (images, seconds, characters, web searches) add count × unit
/// price; a unit without a price adds 0 and says so. A priority or flex call uses that tier's prices where the model
/// has them.
/// </summary>
public static class CostCalculator
{
    private const byte FemtoScale = 15;

    /// <summary>Prices one call with one price version; <paramref name="discountPercent"/> applies to every component.</summary>
    public static CostComponents Calculate(ModelPrice price, in UsageTokens usage, out PricingFlags flags, decimal discountPercent = 0m) =>
        Calculate(new PriceRates(price.Scaled(DiscountFactor(discountPercent))), usage, out flags);

    /// <summary>The factor a discount in percent leaves to pay (15 → 0.85).</summary>
    public static decimal DiscountFactor(decimal discountPercent) => 1m - discountPercent / 100m;

    internal static CostComponents Calculate(PriceRates rates, in UsageTokens usage, out PricingFlags flags)
    {
        // Negative counts are producer bugs that validation rejects; clamping here keeps cost never negative regardless.
        var input = Math.Max(usage.Input, 0);
        var cached = Math.Max(usage.CachedInput, 0);
        var writes = Math.Max(usage.CacheWrite, 0);
        var writes1h = Math.Clamp(usage.CacheWrite1h, 0, writes);
        var writes5m = writes - writes1h;
        var output = Math.Max(usage.Output, 0);

        if (usage.ServiceTier != ServiceTier.Standard) rates = rates.ForServiceTier(usage.ServiceTier);
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

        if (r.Integral)
        {
            // Femto-dollar integers: one 64×64→128-bit multiply per component (counts and rates are never negative),
            // then one exact conversion each; the total is summed as integers too.
            var inputF = Multiply(uncached, r.InputUnits);
            var readF = Multiply(cached, r.CacheReadUnits);
            var writeF = Multiply(writes5m, r.CacheWrite5mUnits) + Multiply(writes1h, r.CacheWrite1hUnits);
            var outputF = Multiply(output, r.OutputUnits);
            if (Fits(inputF) && Fits(readF) && Fits(writeF) && Fits(outputF))
            {
                var feeF = (UInt128)(ulong)r.RequestFeeUnits;
                var totalF = inputF + readF + writeF + outputF + feeF;
                return WithUnits(new CostComponents(Femto(inputF), Femto(readF), Femto(writeF), Femto(outputF), Femto(feeF), 0m, Femto(totalF)), rates, usage, ref flags);
            }
        }

        // Zero counts skip the decimal multiply: most calls have no cache writes and many no cache reads.
        var inputCost = uncached == 0 ? 0m : uncached * r.Input;
        var readCost = cached == 0 ? 0m : cached * r.CacheRead;
        var writeCost = (writes5m == 0 ? 0m : writes5m * r.CacheWrite5m) + (writes1h == 0 ? 0m : writes1h * r.CacheWrite1h);
        var outputCost = output == 0 ? 0m : output * r.Output;
        return WithUnits(new CostComponents(inputCost, readCost, writeCost, outputCost, r.RequestFee), rates, usage, ref flags);
    }

    // Units are rare (image, audio, search calls): priced in decimal after the tokens, off the hot path.
    private static CostComponents WithUnits(CostComponents tokens, PriceRates rates, in UsageTokens usage, ref PricingFlags flags)
    {
        var units = usage.Units;
        if (!units.Any) return tokens;
        var prices = rates.Units;
        decimal Cost(decimal count, decimal? price, ref PricingFlags f)
        {
            if (count <= 0) return 0m;
            if (price is null) f |= PricingFlags.UnpricedUnits;
            return count * (price ?? 0m);
        }
        var cost = Cost(units.Images, prices?.Image, ref flags) + Cost(units.Seconds, prices?.Second, ref flags)
            + Cost(units.Characters, prices?.Character, ref flags) + Cost(units.WebSearches, prices?.WebSearch, ref flags);
        return tokens.WithUnits(cost);
    }

    private static UInt128 Multiply(long count, long units)
    {
        var high = Math.BigMul((ulong)count, (ulong)units, out var low);
        return new UInt128(high, low);
    }

    // Sums of five such components stay below decimal's 96-bit mantissa too (2^93 × 5 < 2^96).
    private static bool Fits(UInt128 value) => value >> 93 == UInt128.Zero;

    private static decimal Femto(UInt128 value)
    {
        var low = (ulong)value;
        return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)(uint)(value >> 64), false, FemtoScale);
    }
}
