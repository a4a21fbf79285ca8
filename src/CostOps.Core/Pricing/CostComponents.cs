namespace CostOps.Core.Pricing;

/// <summary>The parts of one call's cost, USD; <see cref="Total"/> is exactly their sum.</summary>
public readonly record struct CostComponents
{
    public CostComponents(decimal input, decimal cacheRead, decimal cacheWrite, decimal output, decimal requestFee)
    {
        Input = input;
        CacheRead = cacheRead;
        CacheWrite = cacheWrite;
        Output = output;
        RequestFee = requestFee;
        Total = input + cacheRead + cacheWrite + output + requestFee;
    }

    // For callers that computed the total exactly already (the integer path): decimal additions are the slowest part
    // of pricing, so they are not repeated.
    internal CostComponents(decimal input, decimal cacheRead, decimal cacheWrite, decimal output, decimal requestFee, decimal total)
    {
        Input = input;
        CacheRead = cacheRead;
        CacheWrite = cacheWrite;
        Output = output;
        RequestFee = requestFee;
        Total = total;
    }

    /// <summary>Uncached input tokens.</summary>
    public decimal Input { get; }

    public decimal CacheRead { get; }

    /// <summary>Cache writes, 5 minute and 1 hour together.</summary>
    public decimal CacheWrite { get; }

    /// <summary>Output tokens, reasoning included.</summary>
    public decimal Output { get; }

    public decimal RequestFee { get; }

    public decimal Total { get; }

    public static CostComponents Zero => default;
}
