namespace CostOps.Core.Pricing;

/// <summary>
/// The catalog shipped with CostOps (<c>Pricing/catalog.json</c>, embedded in this assembly): the seed of the
/// pricing table and the fallback when no table is configured. Reading an embedded resource is not I/O in the
/// sense the Core rule means (no file system, network or clock), so it lives here.
/// </summary>
public static class BundledCatalog
{
    /// <summary>The manifest resource name of the embedded catalog.</summary>
    public const string ResourceName = "CostOps.Core.Pricing.catalog.json";

    private static readonly Lazy<CatalogDocument> Document = new(() => PriceCatalogJson.Parse(ReadText()));

    /// <summary>The parsed bundled catalog (parsed once per process).</summary>
    public static CatalogDocument Load() => Document.Value;

    /// <summary>The bundled catalog file's text, exactly as shipped.</summary>
    public static string ReadText()
    {
        using var stream = typeof(BundledCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from CostOps.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
