using CostOps.Core.Pricing;

namespace CostOps.Core.Recommendations;

/// <summary>
/// Batch: calls declared latency-insensitive (<c>interactive=false</c>) but not sent through the batch API, re-priced at
/// the model's batch prices. Only models whose price in force has batch prices qualify: re-pricing at a batch price the
/// provider does not offer would promise a saving that does not exist.
/// </summary>
public static class BatchRule
{
    public static IEnumerable<Recommendation> Evaluate(UsageProfile profile, CatalogModel model, MixPricer pricer, RecommendationContext context)
    {
        var slices = profile.Slices.Where(s => s.NonInteractive && !s.Batch).ToList();
        if (slices.Count == 0 || !pricer.HasBatchPrices(model)) yield break;
        var observed = slices.Sum(s => pricer.Cost(model, s, asBatch: false));
        var projected = slices.Sum(s => pricer.Cost(model, s, asBatch: true));
        var savings = context.Per30Days(observed - projected);
        if (projected >= observed || savings < context.Settings.MinSavings30dUsd) yield break;
        var requests = slices.Sum(s => s.Mix.Requests);
        yield return context.Create(RecommendationKind.Batch, profile.Scope) with
        {
            SuggestedModel = model.Model,
            SuggestedProvider = model.Provider.OtelName(),
            Requests = requests,
            ObservedCostUsd = observed,
            ProjectedCostUsd = projected,
            EstimatedSavings30dUsd = savings,
            Confidence = requests < context.Settings.MinSamples ? 0.70m : 0.95m,
            Rationale = ($"{SubstitutionRule.Count(requests)} calls were declared interactive=false but not sent as batch calls. At {model.Model} batch prices they cost " +
                $"${SubstitutionRule.Money(projected)} instead of ${SubstitutionRule.Money(observed)}. The batch API answers within hours, not seconds."),
        };
    }
}
