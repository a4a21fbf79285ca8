namespace CostOps.Infrastructure.Pricing;

/// <summary>A price row changed between read and write (its ETag no longer matches).</summary>
public sealed class PriceConflictException(string message, Exception inner) : Exception(message, inner);
