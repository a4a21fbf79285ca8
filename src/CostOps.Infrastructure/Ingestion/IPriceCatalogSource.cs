using CostOps.Core.Pricing;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>The prices in force now (catalog, table edits, tenant overrides and aliases), refreshed by its owner.</summary>
public interface IPriceCatalogSource
{
    PriceCatalog Current { get; }

    /// <summary><see cref="Current"/> for async callers: a source that loads on first use awaits it instead of blocking a thread.</summary>
    ValueTask<PriceCatalog> CurrentAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Current);
}

/// <summary>The bundled catalog alone: the default until a price table is configured, and what tests and benchmarks use.</summary>
public sealed class BundledPriceCatalogSource : IPriceCatalogSource
{
    public PriceCatalog Current { get; } = BundledCatalog.Load().ToCatalog(fallback: UnknownModelFallback.Standard);
}
