namespace CostOps.Core.Ingestion;

/// <summary>
/// The values of <c>deployment_type</c>: where an Azure (OpenAI or AI Foundry) deployment processes data, which sets
/// its price (Data Zone and Regional cost more than Global). Recorded on every event; priced only where the catalog
/// has a price per deployment type, which today it has not (Azure entries are Global prices: a tenant override prices
/// the others, docs/pricing.md).
/// </summary>
public static class DeploymentTypeNames
{
    public const string Global = "global";
    public const string DataZone = "data_zone";
    public const string Regional = "regional";

    /// <summary>The accepted values, for messages and docs.</summary>
    public const string Accepted = "'global', 'data_zone' or 'regional'";

    /// <summary>The canonical name of a wire value (a constant), or null when unknown.</summary>
    public static string? Lookup(ReadOnlySpan<byte> utf8) =>
        utf8.SequenceEqual("global"u8) ? Global
        : utf8.SequenceEqual("data_zone"u8) ? DataZone
        : utf8.SequenceEqual("regional"u8) ? Regional
        : null;

    /// <summary>Whether <paramref name="value"/> is a canonical name.</summary>
    public static bool IsKnown(string value) => value is Global or DataZone or Regional;
}
