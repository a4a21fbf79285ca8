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

    /// <summary>
    /// Price models without a price at the fallback estimate (their provider's most expensive chat model, else the
    /// default below), status estimated_price, so they count against budgets. Default true; false leaves them at 0
    /// (unknown_model).
    /// </summary>
    public bool EstimateUnknownModels { get; set; } = true;

    /// <summary>Estimate for unknown models of an unknown provider: input, USD per 1M tokens. Default 15.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal UnknownModelInputPrice { get; set; } = 15m;

    /// <summary>Estimate for unknown models of an unknown provider: output, USD per 1M tokens. Default 75.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal UnknownModelOutputPrice { get; set; } = 75m;

    /// <summary>
    /// A LiteLLM-format price map (https URL, e.g. the map's raw file in its repository, or a file path / mounted
    /// blob) that the price refresh schedule syncs into the pricing table once a day, recording the diff in the
    /// <c>pricesyncs</c> table. Empty (default): no sync, the schedule only reloads the table.
    /// </summary>
    public string SyncSource { get; set; } = "";

    /// <summary>The unknown-model estimate these options describe, or null when it is off.</summary>
    public Core.Pricing.UnknownModelFallback? Fallback() =>
        EstimateUnknownModels ? Core.Pricing.UnknownModelFallback.Create(UnknownModelInputPrice, UnknownModelOutputPrice) : null;
}
