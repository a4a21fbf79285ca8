namespace CostOps.Core.Pricing.CommunityMap;

/// <summary>
/// One copy of the community price map shipped in this assembly (<c>Pricing/CommunityMap/snapshots/</c>), byte for
/// byte as published, with where it comes from: the bundled catalog is the hand-checked catalog synced with each
/// snapshot in date order, exactly as <c>costops prices sync</c> would.
/// </summary>
/// <param name="FileName">The file under <c>snapshots/</c>.</param>
/// <param name="Date">The date it was published (its prices take effect then).</param>
/// <param name="Sha256">SHA-256 of the file, as recorded by the mirror it was taken from.</param>
/// <param name="Origin">Where this copy was taken from (repository, branch and commit).</param>
public sealed record CommunitySnapshot(string FileName, DateOnly Date, string Sha256, string Origin)
{
    /// <summary>The upstream file every snapshot is a copy of.</summary>
    public const string UpstreamUrl = "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json";

    /// <summary>The <see cref="ModelPrice.Source"/> of every version taken from this snapshot.</summary>
    public string Source => $"{UpstreamUrl} as of {Date:yyyy-MM-dd} (sha256 {Sha256[..12]}, {Origin})";
}
