using CostOps.Core.Pricing.CommunityMap;

namespace CostOps.Core.Pricing;

/// <summary>
/// The catalog shipped with CostOps: the hand-checked catalog (<c>Pricing/catalog.json</c>: sources per version,
/// pinned corrections) synced with the community price map snapshots (<see cref="Snapshots"/>) in date order. It is
/// the seed of the pricing table and the fallback when no table is configured. Reading embedded resources is not I/O
/// in the sense the Core rule means (no file system, network or clock), so it lives here.
/// </summary>
public static class BundledCatalog
{
    /// <summary>The manifest resource name of the embedded hand-checked catalog.</summary>
    public const string ResourceName = "CostOps.Core.Pricing.catalog.json";

    /// <summary>The community map snapshots, oldest first (see <c>Pricing/CommunityMap/snapshots/README.md</c>).</summary>
    public static readonly IReadOnlyList<CommunitySnapshot> Snapshots =
    [
        new("litellm-2026-02-24.json", new DateOnly(2026, 2, 24),
            "54ea3aa5dc40ce3881b184fc34a5c41e5624cdc314301e8c9f12efe5cc17a142",
            "full copy, Wei-Shaw/claude-relay-service price-mirror commit 993774379ba7"),
        new("litellm-2026-07-24.json", new DateOnly(2026, 7, 24),
            "86135fc654882134c8def3c4f4dc4551f62bdc939c394081bcde5fc53eee47c4",
            "218-entry subset of current models, Wei-Shaw/claude-relay-service price-mirror commit 88ab6bc21560"),
    ];

    private static readonly Lazy<CatalogDocument> Document = new(Build);

    /// <summary>The bundled catalog (built once per process).</summary>
    public static CatalogDocument Load() => Document.Value;

    /// <summary>The hand-checked catalog alone, as shipped.</summary>
    public static CatalogDocument LoadHandChecked() => PriceCatalogJson.Parse(ReadText());

    /// <summary>The hand-checked catalog file's text, exactly as shipped.</summary>
    public static string ReadText() => ReadResource(ResourceName);

    /// <summary>A community map snapshot's text, exactly as shipped.</summary>
    public static string ReadSnapshot(CommunitySnapshot snapshot) => ReadResource("CostOps.Core.Pricing.CommunityMap.snapshots." + snapshot.FileName);

    private static CatalogDocument Build()
    {
        var hand = LoadHandChecked();
        IReadOnlyList<CatalogModel> models = hand.Models;
        foreach (var snapshot in Snapshots)
        {
            var map = LiteLlmPriceMap.Parse(ReadSnapshot(snapshot), snapshot.Date, snapshot.Source);
            models = PriceSync.Apply(models, PriceSync.Plan(models, map.Models, snapshot.Date, CommunitySnapshot.UpstreamUrl));
        }
        return new CatalogDocument($"{hand.Version}+litellm-{Snapshots[^1].Date:yyyy-MM-dd}", models);
    }

    private static string ReadResource(string name)
    {
        using var stream = typeof(BundledCatalog).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from CostOps.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
