namespace CostOps.Core.Pricing;

/// <summary>What a model string resolved to: the catalog entry, or none (then <see cref="Model"/> is null).</summary>
/// <param name="Model">The catalog entry; null when the model is unknown.</param>
/// <param name="Provider">The entry's provider, or the provider the event named when unknown.</param>
/// <param name="Overrides">The tenant's overrides for that entry, sorted by start date.</param>
public readonly record struct ModelResolution(CatalogModel? Model, ProviderId Provider, IReadOnlyList<PriceOverride> Overrides)
{
    public bool Found => Model is not null;
}
