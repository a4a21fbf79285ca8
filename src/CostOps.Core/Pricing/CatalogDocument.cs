namespace CostOps.Core.Pricing;

/// <summary>A parsed catalog file: its version and its entries.</summary>
public sealed record CatalogDocument(string Version, IReadOnlyList<CatalogModel> Models)
{
    /// <summary>A price catalog over these entries, with tenants' overrides and aliases and the unknown-model estimate when given.</summary>
    public PriceCatalog ToCatalog(IEnumerable<PriceOverride>? overrides = null, IEnumerable<ModelAlias>? aliases = null, UnknownModelFallback? fallback = null) =>
        new(Models, overrides, aliases, Version, fallback);
}
