namespace CostOps.Infrastructure.Recommendations;

/// <summary>One mapping of a routing policy: send <see cref="Share"/> of the calls for (feature, provider, model) to the target.</summary>
public sealed record RoutingRoute(
    string Feature, string Provider, string FromModel, string ToProvider, string ToModel, decimal Share, string State,
    string RecommendationId, decimal EstimatedSavingsUsd, decimal Confidence);
