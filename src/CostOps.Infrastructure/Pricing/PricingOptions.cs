using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.Pricing;

/// <summary>Where prices come from and how often the in-process copy is refreshed.</summary>
public sealed class PricingOptions
{
    public const string SectionName = "Pricing";

    /// <summary>How long a loaded pricing table is used before it is read again. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Seed the pricing table with the bundled catalog's missing rows at the first load. Default true.</summary>
    public bool SeedFromBundledCatalog { get; set; } = true;
}
