using CostOps.Core.Pricing;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>The prices in force now (catalog, table edits, tenant overrides and aliases), refreshed by its owner.</summary>
public interface IPriceCatalogSource
{
    PriceCatalog Current { get; }
}

/// <summary>The bundled catalog alone: the default until a price table is configured, and what tests and benchmarks use.</summary>
public sealed class BundledPriceCatalogSource : IPriceCatalogSource
{
    public PriceCatalog Current { get; } = BundledCatalog.Load().ToCatalog(fallback: UnknownModelFallback.Standard);
}
