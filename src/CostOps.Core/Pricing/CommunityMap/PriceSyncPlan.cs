namespace CostOps.Core.Pricing.CommunityMap;

/// <summary>The difference between a pricing table and a price source, as <see cref="PriceSync.Plan"/> found it.</summary>
/// <param name="Effective">The date new versions take effect.</param>
/// <param name="Added">Models the table lacks, each with one version from <paramref name="Effective"/>.</param>
/// <param name="Changed">Models whose price in force at <paramref name="Effective"/> differs from the source's.</param>
/// <param name="Gone">Models that came from this source but are no longer in it (kept, never deleted).</param>
/// <param name="Pinned">Differences on pinned entries (hand-checked corrections): reported, never applied.</param>
/// <param name="Unchanged">Models whose price already equals the source's.</param>
public sealed record PriceSyncPlan(
    DateOnly Effective,
    IReadOnlyList<CatalogModel> Added,
    IReadOnlyList<PriceChange> Changed,
    IReadOnlyList<CatalogModel> Gone,
    IReadOnlyList<PriceChange> Pinned,
    int Unchanged)
{
    /// <summary>Source ids that name one of our entries at its price (dated or regional ids): added to its ids.</summary>
    public IReadOnlyList<ModelIdAlias> Aliases { get; init; } = [];

    /// <summary>Whether applying the plan writes anything.</summary>
    public bool IsEmpty => Added.Count == 0 && Changed.Count == 0 && Aliases.Count == 0;
}

/// <summary>Another id of one of our entries, as a source names it.</summary>
public sealed record ModelIdAlias(ProviderId Provider, string Model, string Id);

/// <summary>One model's price change: the version in force at the sync's date, the proposed one, and the fields that differ.</summary>
public sealed record PriceChange(CatalogModel Model, ModelPrice Old, ModelPrice New, IReadOnlyList<FieldChange> Fields);

/// <summary>One price field that differs, USD per 1M tokens (per unit for units and the request fee; tokens for the tier threshold).</summary>
public sealed record FieldChange(string Field, decimal? Old, decimal? New);
