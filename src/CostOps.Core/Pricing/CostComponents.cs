namespace CostOps.Core.Pricing;

/// <summary>The parts of one call's cost, USD; <see cref="Total"/> is exactly their sum.</summary>
public readonly record struct CostComponents
{
    public CostComponents(decimal input, decimal cacheRead, decimal cacheWrite, decimal output, decimal requestFee, decimal units = 0m)
    {
        Input = input;
        CacheRead = cacheRead;
        CacheWrite = cacheWrite;
        Output = output;
        RequestFee = requestFee;
        Units = units;
        Total = input + cacheRead + cacheWrite + output + requestFee + units;
    }

    // For callers that computed the total exactly already (the integer path): decimal additions are the slowest part
    // of pricing, so they are not repeated.
    internal CostComponents(decimal input, decimal cacheRead, decimal cacheWrite, decimal output, decimal requestFee, decimal units, decimal total)
    {
        Input = input;
        CacheRead = cacheRead;
        CacheWrite = cacheWrite;
        Output = output;
        RequestFee = requestFee;
        Units = units;
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

    /// <summary>Units that are not tokens: images, seconds, characters, web searches.</summary>
    public decimal Units { get; }

    /// <summary>These components plus a units cost (the total grows by exactly that much).</summary>
    public CostComponents WithUnits(decimal units) =>
        units == 0m ? this : new CostComponents(Input, CacheRead, CacheWrite, Output, RequestFee, Units + units, Total + units);

    public decimal Total { get; }

    public static CostComponents Zero => default;
}
