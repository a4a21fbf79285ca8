
namespace CostOps.Core.Recommendations;

/// <summary>
/// Unpriced traffic: calls whose model has no price are counted at $0 or at the fallback estimate, so every total that
/// includes them is wrong or guessed. When
/// their share of a tenant's calls exceeds the threshold, each such model is reported until someone adds its price.
/// There is no saving to state: the figures are the calls and tokens that are missing from the numbers.
/// </summary>
public static class UnpricedRule
{
    public static IEnumerable<Recommendation> Evaluate(IReadOnlyList<UsageProfile> tenantProfiles, RecommendationContext context)
    {
        var all = tenantProfiles.Sum(p => p.Total.Requests);
        var unpriced = tenantProfiles.Sum(p => p.UnpricedRequests);
        if (all == 0 || unpriced == 0) yield break;
        var share = (decimal)unpriced / all;
        if (share <= context.Settings.UnpricedShareThreshold) yield break;
        foreach (var profile in tenantProfiles.Where(p => p.UnpricedRequests > 0))
        {
            var total = profile.Total;
            yield return context.Create(RecommendationKind.UnpricedTraffic, profile.Scope) with
            {
                Requests = profile.UnpricedRequests,
                Confidence = 1m,
                Rationale = ($"{SubstitutionRule.Count(profile.UnpricedRequests)} calls to '{profile.Scope.Model}' ({SubstitutionRule.Count(total.Input)} input, {SubstitutionRule.Count(total.Output)} output tokens) have no price and count as $0 or at an estimate; " +
                    $"unpriced calls are {SubstitutionRule.Percent(share)} of the tenant's calls (threshold {SubstitutionRule.Percent(context.Settings.UnpricedShareThreshold)}). " +
                    "Add the price or an alias (costops prices set / alias), then reprice the range."),
            };
        }
    }
}
