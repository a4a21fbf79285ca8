using CostOps.Core.Pricing;

namespace CostOps.Core.Recommendations;

/// <summary>
/// Runs every rule over the analysed traffic and returns the recommendations in a stable order. Pure and
/// deterministic: the same profiles, budgets, prices and instant give the same list, ids included.
/// </summary>
public static class RecommendationEngine
{
    /// <param name="profiles">The window's traffic per scope.</param>
    /// <param name="budgets">Budgets with their current forecasts (only those over their limit produce anything).</param>
    /// <param name="catalog">The prices in force.</param>
    /// <param name="at">Whose prices re-price the traffic (normally now).</param>
    /// <param name="windowDays">The window's length, to scale savings to 30 days.</param>
    /// <param name="settings">The rules' thresholds.</param>
    /// <param name="fineTuning">Fine-tuning prices for distillation (default: <see cref="FineTuningPrices.Bundled"/>).</param>
    public static IReadOnlyList<Recommendation> Analyze(
        IReadOnlyList<UsageProfile> profiles,
        IReadOnlyList<BudgetPressure> budgets,
        PriceCatalog catalog,
        DateTimeOffset at,
        int windowDays,
        RecommendationSettings settings,
        IReadOnlyList<FineTuningPrice>? fineTuning = null)
    {
        fineTuning ??= FineTuningPrices.Bundled;
        var context = new RecommendationContext(windowDays, settings);
        var result = new List<Recommendation>();
        var best = new List<(UsageProfile Profile, ModelCandidate Best)>();
        foreach (var tenant in profiles.GroupBy(p => p.Scope.Tenant, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var pricer = new MixPricer(catalog, tenant.Key, at);
            var tenantProfiles = tenant.OrderBy(p => p.Scope.ToString(), StringComparer.Ordinal).ToList();
            foreach (var profile in tenantProfiles)
            {
                if (profile.Total.Requests == profile.UnpricedRequests) continue;
                if (pricer.Resolve(profile.Scope.Provider, profile.Scope.Model) is not { } model) continue;
                var candidates = SubstitutionRule.Candidates(profile, model, pricer);
                result.AddRange(SubstitutionRule.Evaluate(profile, model, candidates, context));
                result.AddRange(CachingRule.Evaluate(profile, model, pricer, context));
                result.AddRange(BatchRule.Evaluate(profile, model, pricer, context));
                result.AddRange(ResponseCacheRule.Evaluate(profile, model, pricer, context));
                result.AddRange(DistillationRule.Evaluate(profile, model, pricer, context, fineTuning));
                if (candidates.Count > 0) best.Add((profile, candidates[0]));
            }
            result.AddRange(UnpricedRule.Evaluate(tenantProfiles, context));
        }
        foreach (var budget in budgets.OrderBy(b => b.BudgetId, StringComparer.Ordinal))
        {
            var covered = best.Where(b => BudgetPressureRule.Covers(budget.Scope, b.Profile.Scope)).ToList();
            result.AddRange(BudgetPressureRule.Evaluate(budget, covered, context));
        }
        return result
            .Select(r => r with { Id = RecommendationContext.StableId(r) })
            .OrderBy(r => r.Tenant, StringComparer.Ordinal)
            .ThenBy(r => r.Project, StringComparer.Ordinal)
            .ThenBy(r => r.Feature, StringComparer.Ordinal)
            .ThenBy(r => r.Kind)
            .ThenByDescending(r => r.EstimatedSavings30dUsd)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
    }
}
