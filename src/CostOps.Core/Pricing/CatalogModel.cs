namespace CostOps.Core.Pricing;

/// <summary>
/// One (provider, model) in the price catalog: its canonical id, the other ids producers send for it
/// (dated, provider-specific), its capabilities and its price versions.
/// </summary>
public sealed record CatalogModel
{
    public required ProviderId Provider { get; init; }

    /// <summary>The canonical model id (stored as <c>canonical_model</c>).</summary>
    public required string Model { get; init; }

    /// <summary>Other exact ids that mean this entry, e.g. <c>us.anthropic.claude-sonnet-4-5-20250929-v1:0</c>.</summary>
    public IReadOnlyList<string> Ids { get; init; } = [];

    public ModelCapabilities Capabilities { get; init; } = new();

    /// <summary>Free text: per-provider caveats (deployment types, regional premiums).</summary>
    public string? Notes { get; init; }

    /// <summary>
    /// A hand-checked correction kept on top of the community price map: <c>prices sync</c> reports the map's
    /// differing price but never writes it for this entry (the notes say why, each version's source says where from).
    /// </summary>
    public bool Pinned { get; init; }

    /// <summary>Price versions; any order (the catalog sorts them by <see cref="ModelPrice.EffectiveFrom"/>).</summary>
    public required IReadOnlyList<ModelPrice> Prices { get; init; }

    /// <summary>The id of one of this model's price versions, as stored in <c>price_version</c>.</summary>
    public string VersionId(ModelPrice price) =>
        Provider == ProviderId.Unknown ? $"{Model}@{price.EffectiveFrom:yyyy-MM-dd}" : $"{Provider.OtelName()}/{Model}@{price.EffectiveFrom:yyyy-MM-dd}";
}
