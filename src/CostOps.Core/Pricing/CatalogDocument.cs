namespace CostOps.Core.Pricing;

/// <summary>A parsed catalog file: its version and its entries.</summary>
public sealed record CatalogDocument(string Version, IReadOnlyList<CatalogModel> Models)
{
    /// <summary>A price catalog over these entries, with a tenant's overrides and aliases when given.</summary>
    public PriceCatalog ToCatalog(IEnumerable<PriceOverride>? overrides = null, IEnumerable<ModelAlias>? aliases = null) =>
        new(Models, overrides, aliases, Version);
}
