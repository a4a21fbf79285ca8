using CostOps.Core.Budgets;
using CostOps.Core.Pricing;

namespace CostOps.Core.Recommendations;

/// <summary>
/// Budget pressure: for a budget forecast over its limit, the smallest share of its scope's traffic that, moved to the
/// cheapest substitute of each model (see <see cref="SubstitutionRule"/>), brings the forecast under the limit.
/// <para>
/// Only the rest of the period can change: spend so far stays. Moving a share s of traffic whose substitutes save a
/// fraction f of its cost lowers the forecast by s × f × (forecast − spend). So s must exceed
/// (forecast − limit) / (f × (forecast − spend)); it is rounded up to a whole percent, one more when that lands exactly
/// on the limit, and capped at 100 % (the rationale then says it is not enough on its own). f is measured on the
/// analysed window's traffic of the scope, priced at today's prices.
/// </para>
/// </summary>
public static class BudgetPressureRule
{
    /// <summary>The smallest whole-percent share (0 to 1) that brings the forecast strictly under the limit; more than 1 when none can.</summary>
    public static decimal ShareNeeded(decimal forecastUsd, decimal limitUsd, decimal spendUsd, decimal savingFraction)
    {
        if (forecastUsd <= limitUsd) return 0m;
        var movable = savingFraction * (forecastUsd - spendUsd);
        if (movable <= 0) return decimal.MaxValue;
        var exact = (forecastUsd - limitUsd) / movable;
        var share = decimal.Ceiling(exact * 100m) / 100m;
        if (ForecastAfter(forecastUsd, spendUsd, savingFraction, share) >= limitUsd) share += 0.01m;
        return share;
    }

    /// <summary>The forecast after moving <paramref name="share"/> of the remaining traffic.</summary>
    public static decimal ForecastAfter(decimal forecastUsd, decimal spendUsd, decimal savingFraction, decimal share) =>
        forecastUsd - share * savingFraction * (forecastUsd - spendUsd);

    /// <summary>Whether a scope's traffic counts towards a budget. User and tag budgets cannot be matched to scopes.</summary>
    public static bool Covers(BudgetScope budget, TrafficScope scope) =>
        budget.User is null && budget.TagKey is null
        && string.Equals(budget.Tenant, scope.Tenant, StringComparison.Ordinal)
        && (budget.Project is null || string.Equals(budget.Project, scope.Project, StringComparison.Ordinal))
        && (budget.Feature is null || string.Equals(budget.Feature, scope.Feature, StringComparison.Ordinal))
        && (budget.Provider is null || string.Equals(Providers.Parse(budget.Provider).OtelName(), scope.Provider, StringComparison.Ordinal))
        && (budget.Model is null || string.Equals(budget.Model, scope.Model, StringComparison.OrdinalIgnoreCase));

    /// <summary>One recommendation per covered scope with a cheaper substitute, all with the same share.</summary>
    public static IEnumerable<Recommendation> Evaluate(
        BudgetPressure budget, IReadOnlyList<(UsageProfile Profile, ModelCandidate Best)> covered, RecommendationContext context)
    {
        if (budget.ForecastUsd <= budget.LimitUsd || covered.Count == 0) yield break;
        var observed = covered.Sum(c => c.Best.ObservedCostUsd);
        var saving = covered.Sum(c => c.Best.SavingUsd);
        if (observed <= 0 || saving <= 0) yield break;
        var fraction = saving / observed;
        var needed = ShareNeeded(budget.ForecastUsd, budget.LimitUsd, budget.SpendUsd, fraction);
        var enough = needed <= 1m;
        var share = Math.Min(1m, needed);
        var after = ForecastAfter(budget.ForecastUsd, budget.SpendUsd, fraction, share);
        var routes = string.Join(", ", covered.Select(c => $"{c.Profile.Scope.Model} -> {c.Best.Model.Model}"));
        var summary = ($"Budget {budget.BudgetId} ({budget.Scope}) forecasts ${SubstitutionRule.Money(budget.ForecastUsd)} against a ${SubstitutionRule.Money(budget.LimitUsd)} limit " +
            $"({SubstitutionRule.Percent(budget.ForecastUsd / budget.LimitUsd)}), ${SubstitutionRule.Money(budget.SpendUsd)} spent. Moving {SubstitutionRule.Percent(share)} " +
            $"of its traffic ({routes}; these save {SubstitutionRule.Percent(fraction)} of its cost) brings the forecast to ${SubstitutionRule.Money(after)}" +
            (enough ? $" ({SubstitutionRule.Percent(after / budget.LimitUsd)} of the limit)." : ", still over the limit: not enough on its own."));
        foreach (var (profile, best) in covered)
        {
            var (confidence, risks) = SubstitutionRule.Confidence(profile, best, context.Settings);
            var moved = share * best.SavingUsd;
            yield return context.Create(RecommendationKind.BudgetPressure, profile.Scope) with
            {
                SuggestedModel = best.Model.Model,
                SuggestedProvider = best.Model.Provider.OtelName(),
                BudgetId = budget.BudgetId,
                Requests = profile.Total.Requests,
                ObservedCostUsd = best.ObservedCostUsd,
                ProjectedCostUsd = best.ObservedCostUsd - moved,
                EstimatedSavings30dUsd = context.Per30Days(moved),
                TrafficShare = share,
                Confidence = confidence,
                Rationale = summary + (risks.Count == 0 ? "" : $" Risk signals: {string.Join("; ", risks)}."),
            };
        }
    }
}
