using CostOps.Core.Pricing;

namespace CostOps.Core.Ingestion;

/// <summary>
/// The values of <c>service_tier</c>: the processing tier a provider served the call at (OpenAI returns it in every
/// response: <c>default</c>, <c>priority</c>, <c>flex</c>). <c>standard</c> is accepted as Gemini's and Bedrock's name
/// for <c>default</c> and stored as <c>default</c>; <c>batch</c> is the same as <c>"batch": true</c>. Anything else is
/// refused (<c>service_tier_invalid</c>): a tier CostOps cannot price would otherwise be billed silently at the default
/// price.
/// </summary>
public static class ServiceTierNames
{
    public const string Default = "default";
    public const string Priority = "priority";
    public const string Flex = "flex";
    public const string Batch = "batch";

    /// <summary>The accepted values, for messages and docs.</summary>
    public const string Accepted = "'default' (or 'standard'), 'priority', 'flex' or 'batch'";

    /// <summary>The canonical name of a wire value (a constant: reading it allocates nothing), or null when unknown.</summary>
    public static string? Lookup(ReadOnlySpan<byte> utf8) =>
        utf8.SequenceEqual("default"u8) || utf8.SequenceEqual("standard"u8) ? Default
        : utf8.SequenceEqual("priority"u8) ? Priority
        : utf8.SequenceEqual("flex"u8) ? Flex
        : utf8.SequenceEqual("batch"u8) ? Batch
        : null;

    /// <summary>Whether <paramref name="value"/> is a canonical name (what a parsed event holds).</summary>
    public static bool IsKnown(string value) => value is Default or Priority or Flex or Batch;

    /// <summary>The pricing tier of a canonical name (batch is priced through the batch flag, not a tier).</summary>
    public static ServiceTier ToPricing(string? value) => value switch
    {
        Priority => ServiceTier.Priority,
        Flex => ServiceTier.Flex,
        _ => ServiceTier.Standard,
    };
}
