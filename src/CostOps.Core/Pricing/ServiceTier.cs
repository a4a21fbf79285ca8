namespace CostOps.Core.Pricing;

/// <summary>
/// The processing tier a call was served at (OpenAI's <c>service_tier</c>; Gemini's priority/flex). Batch stays its
/// own flag (<see cref="UsageTokens.Batch"/>): batch prices exist far more widely than these tiers.
/// </summary>
public enum ServiceTier : byte
{
    /// <summary>Default processing: the base prices.</summary>
    Standard = 0,

    /// <summary>Priority processing: <see cref="ModelPrice.Priority"/> prices where the model has them.</summary>
    Priority,

    /// <summary>Flex processing (cheaper, slower): <see cref="ModelPrice.Flex"/> prices where the model has them.</summary>
    Flex,
}
