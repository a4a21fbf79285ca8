namespace CostOps.Infrastructure.Recommendations;

/// <summary>What a team decided about a recommendation (stored in Azure Tables, keyed by its stable id).</summary>
/// <param name="State"><c>accepted</c> or <c>dismissed</c>.</param>
/// <param name="ETag">For a conditional change (If-Match).</param>
public sealed record RecommendationDecision(string Tenant, string RecommendationId, string State, DateTimeOffset DecidedAt, string Note, string ETag)
{
    public const string Accepted = "accepted";
    public const string Dismissed = "dismissed";

    /// <summary>The state of a recommendation nobody decided on yet.</summary>
    public const string Open = "open";
}
