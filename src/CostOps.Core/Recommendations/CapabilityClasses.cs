namespace CostOps.Core.Recommendations;

/// <summary>
/// Orders the catalog's capability classes so "adjacent" means something: small &lt; mid &lt; frontier. The
/// <c>reasoning</c> class ranks with frontier; whether a model reasons is checked separately.
/// </summary>
public static class CapabilityClasses
{
    /// <summary>The class's rank, or null for a class the rules do not know (such models are never suggested).</summary>
    public static int? Rank(string? capabilityClass) => capabilityClass switch
    {
        "small" => 0,
        "mid" => 1,
        "frontier" or "reasoning" => 2,
        _ => null,
    };
}
