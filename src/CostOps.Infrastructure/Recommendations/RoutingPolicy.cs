using CostOps.Core.Recommendations;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>
/// What a gateway asks before routing a project's calls: for each (feature, provider, model) the model to send a share
/// of the calls to. Built from the latest run's substitution and budget-pressure recommendations that nobody dismissed:
/// an accepted one wins, otherwise the one with the largest confidence-weighted saving. <c>state</c> tells the gateway
/// whether a team accepted the route (<c>accepted</c>) or it is only proposed (<c>recommended</c>).
/// </summary>
public sealed record RoutingPolicy(string Tenant, string Project, string? RunId, DateTimeOffset? GeneratedAt, IReadOnlyList<RoutingRoute> Routes)
{
    public static RoutingPolicy From(string tenant, string project, RecommendationRun? run, IReadOnlyDictionary<string, RecommendationDecision> states)
    {
        if (run is null) return new RoutingPolicy(tenant, project, null, null, []);
        string State(Recommendation r) => states.TryGetValue(r.Id, out var d) ? d.State : RecommendationDecision.Open;
        var routes = run.Recommendations
            .Where(r => r.Tenant == tenant && r.Project == project)
            .Where(r => r.Kind is RecommendationKind.ModelSubstitution or RecommendationKind.BudgetPressure)
            .Where(r => State(r) != RecommendationDecision.Dismissed)
            .GroupBy(r => (r.Feature, r.Provider, r.CurrentModel))
            .Select(g => g
                .OrderByDescending(r => State(r) == RecommendationDecision.Accepted)
                .ThenByDescending(r => r.EstimatedSavings30dUsd * r.Confidence)
                .ThenBy(r => r.Id, StringComparer.Ordinal)
                .First())
            .OrderBy(r => r.Feature, StringComparer.Ordinal).ThenBy(r => r.Provider, StringComparer.Ordinal).ThenBy(r => r.CurrentModel, StringComparer.Ordinal)
            .Select(r => new RoutingRoute(r.Feature, r.Provider, r.CurrentModel, r.SuggestedProvider, r.SuggestedModel, r.TrafficShare,
                State(r) == RecommendationDecision.Accepted ? RecommendationDecision.Accepted : "recommended", r.Id, r.EstimatedSavings30dUsd, r.Confidence))
            .ToList();
        return new RoutingPolicy(tenant, project, run.RunId, run.RunAt, routes);
    }
}
