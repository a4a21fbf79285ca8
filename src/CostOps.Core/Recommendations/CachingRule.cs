using CostOps.Core.Pricing;

namespace CostOps.Core.Recommendations;

/// <summary>
/// Prompt caching, both ways.
/// <list type="bullet">
/// <item>Repeated prefixes read little from cache: every repeat call could read its prefix from the cache, so the
/// saving is (cacheable − already cached) × (input − cache read price), less the premium of writing each prefix once
/// (cache write − input price; zero where writes cost the input price, as with OpenAI's automatic caching).</item>
/// <item>Cache writes rarely read back: writes cost (write − input price) more than plain input and only reads pay that
/// back at (input − read price). When the premium exceeds the payback, not writing saves the difference.</item>
/// </list>
/// Rates are the model's standard, below-tier rates for the tenant: a conservative simplification for long-context calls.
/// </summary>
public static class CachingRule
{
    public static IEnumerable<Recommendation> Evaluate(UsageProfile profile, CatalogModel model, MixPricer pricer, RecommendationContext context)
    {
        var rates = pricer.Rates(model, aboveTier: false, batch: false);
        var observed = profile.Slices.Sum(s => pricer.Cost(model, s));
        var settings = context.Settings;

        var repeats = profile.Repeats;
        var readDiscount = rates.Input - rates.CacheRead;
        if (repeats.CacheableTokens > 0 && readDiscount > 0 && model.Capabilities.Caching
            && repeats.CachedTokens < repeats.CacheableTokens * settings.CachedShareEnough)
        {
            var readable = repeats.CacheableTokens - repeats.CachedTokens;
            var writePremium = Math.Max(0m, rates.CacheWrite - rates.Input);
            var saving = readable * readDiscount - repeats.FirstWriteTokens * writePremium;
            var savings = context.Per30Days(saving);
            if (saving > 0 && savings >= settings.MinSavings30dUsd)
            {
                var confidence = 0.80m - (profile.Total.Requests < settings.MinSamples ? 0.25m : 0m);
                yield return context.Create(RecommendationKind.PromptCaching, profile.Scope) with
                {
                    SuggestedModel = model.Model,
                    SuggestedProvider = model.Provider.OtelName(),
                    Requests = repeats.RepeatedRequests,
                    ObservedCostUsd = observed,
                    ProjectedCostUsd = observed - saving,
                    EstimatedSavings30dUsd = savings,
                    Confidence = confidence,
                    Rationale = ($"{SubstitutionRule.Count(repeats.RepeatedRequests)} calls share {SubstitutionRule.Count(repeats.RepeatedHashes)} repeated prompt prefixes; {SubstitutionRule.Count(repeats.CacheableTokens)} prefix tokens " +
                        $"could have been cache reads but {repeats.CachedTokens} were. Reading {readable} at the cache-read price " +
                        $"(${SubstitutionRule.Money(rates.CacheRead * 1_000_000m)}/1M instead of ${SubstitutionRule.Money(rates.Input * 1_000_000m)}/1M)" +
                        (writePremium > 0 ? $", after writing {repeats.FirstWriteTokens} prefix tokens once at ${SubstitutionRule.Money(rates.CacheWrite * 1_000_000m)}/1M," : "") +
                        $" saves ${SubstitutionRule.Money(saving)} in the window. Put the shared prefix first and enable caching (cache_control for Anthropic)." +
                        (confidence < 0.80m ? $" Risk signals: few samples ({SubstitutionRule.Count(profile.Total.Requests)} calls)." : " Hits depend on the cache lifetime (minutes)."))
                };
            }
        }

        var total = profile.Total;
        var premium = total.CacheWrite * (rates.CacheWrite - rates.Input);
        var payback = total.CachedInput * readDiscount;
        if (total.CacheWrite > 0 && premium > payback)
        {
            var saving = premium - payback;
            var savings = context.Per30Days(saving);
            if (savings >= settings.MinSavings30dUsd)
            {
                yield return context.Create(RecommendationKind.CacheWritesUnread, profile.Scope) with
                {
                    SuggestedModel = model.Model,
                    SuggestedProvider = model.Provider.OtelName(),
                    Requests = total.Requests,
                    ObservedCostUsd = observed,
                    ProjectedCostUsd = observed - saving,
                    EstimatedSavings30dUsd = savings,
                    Confidence = 0.85m,
                    Rationale = ($"{SubstitutionRule.Count(total.CacheWrite)} tokens were written to the cache but only {SubstitutionRule.Count(total.CachedInput)} read back: the write premium " +
                        $"(${SubstitutionRule.Money(premium)}) exceeds what the reads saved (${SubstitutionRule.Money(payback)}). " +
                        "Stop marking these prompts for caching, or restructure them so the cached prefix is shared."),
                };
            }
        }
    }
}
