namespace CostOps.Infrastructure.Pricing;

/// <summary>The tiktoken encodings CostOps counts with.</summary>
public enum TokenEncoding : byte
{
    /// <summary>gpt-4o, gpt-4.1, o-series, gpt-5 (and the approximation for other vendors).</summary>
    O200kBase,

    /// <summary>gpt-4, gpt-4-turbo, gpt-3.5-turbo.</summary>
    Cl100kBase,
}
