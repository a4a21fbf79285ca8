namespace CostOps.Core.Pricing;

/// <summary>Which special rules priced a call, so the output can say so.</summary>
[Flags]
public enum PricingFlags : byte
{
    None = 0,

    /// <summary>Input tokens were strictly above the long-context threshold.</summary>
    AboveTier = 1,

    /// <summary>A batch call priced with the model's batch prices.</summary>
    BatchPrices = 2,

    /// <summary>Cache reads were billed at the input price because the model has no cache-read price.</summary>
    CacheReadAtInputPrice = 4,

    /// <summary>Cache writes were billed at the input price because the model has no cache-write price.</summary>
    CacheWriteAtInputPrice = 8,

    /// <summary>A tenant override (discount or explicit prices) applied.</summary>
    Override = 16,

    /// <summary>Cached plus cache-write tokens exceeded input tokens; uncached input was taken as 0.</summary>
    InconsistentTokens = 32,

    /// <summary>The call carried units (images, seconds, characters, web searches) the model has no price for: billed at 0.</summary>
    UnpricedUnits = 64,
}
