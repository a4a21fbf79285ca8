using System.Globalization;
using CostOps.Core.Pricing;

namespace CostOps.Core.Recommendations;

/// <summary>
/// Model substitution: models of the same provider, in the same or an adjacent capability class, that hold the largest
/// prompt seen, accept the same input modalities, keep the features the traffic uses (reasoning, caching), and cost
/// less for the scope's own token mix (every slice re-priced at the candidate's prices, never a list-price ratio).
/// <para>
/// A reasoning model is not offered for traffic that does not reason: it would add reasoning tokens the observed mix
/// does not contain, so its re-priced cost would be too low. Providers are not crossed: a different provider means
/// other contracts, keys and data-processing terms, which a price comparison cannot weigh.
/// </para>
/// </summary>
public static class SubstitutionRule
{
    /// <summary>Cheaper candidates, largest saving first (ties by model id).</summary>
    public static IReadOnlyList<ModelCandidate> Candidates(UsageProfile profile, CatalogModel current, MixPricer pricer)
    {
        var currentRank = CapabilityClasses.Rank(current.Capabilities.Class);
        if (currentRank is null) return [];
        var total = profile.Total;
        var reasons = total.Reasoning > 0 || current.Capabilities.Reasoning;
        var caches = total.CachedInput > 0 || total.CacheWrite > 0;
        var observed = profile.Slices.Sum(s => pricer.Cost(current, s));
        var result = new List<ModelCandidate>();
        foreach (var candidate in pricer.Alternatives(current))
        {
            var rank = CapabilityClasses.Rank(candidate.Capabilities.Class);
            if (rank is null || Math.Abs(rank.Value - currentRank.Value) > 1) continue;
            var caps = candidate.Capabilities;
            if (caps.ContextWindow < profile.MaxInputTokens) continue;
            if (caps.MaxOutputTokens > 0 && caps.MaxOutputTokens < profile.MaxOutputTokens) continue;
            if (reasons != caps.Reasoning) continue;
            if (caches && !caps.Caching) continue;
            if (!current.Capabilities.Modalities.All(m => caps.Modalities.Contains(m))) continue;
            var projected = profile.Slices.Sum(s => pricer.Cost(candidate, s));
            if (projected >= observed) continue;
            result.Add(new ModelCandidate(candidate, observed, projected, rank.Value - currentRank.Value));
        }
        return result.OrderByDescending(c => c.SavingUsd).ThenBy(c => c.Model.Model, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Up to two recommendations: the best candidate of the same or a higher class, and the best one class below
    /// (cheaper still, but a quality step down a team should weigh with its own evaluations).
    /// </summary>
    public static IEnumerable<Recommendation> Evaluate(
        UsageProfile profile, CatalogModel current, IReadOnlyList<ModelCandidate> candidates, RecommendationContext context)
    {
        var picks = new[] { candidates.FirstOrDefault(c => c.ClassStep >= 0), candidates.FirstOrDefault(c => c.ClassStep < 0) };
        foreach (var pick in picks)
        {
            if (pick is null) continue;
            var savings = context.Per30Days(pick.SavingUsd);
            if (savings < context.Settings.MinSavings30dUsd) continue;
            var (confidence, risks) = Confidence(profile, pick, context.Settings);
            yield return context.Create(RecommendationKind.ModelSubstitution, profile.Scope) with
            {
                SuggestedModel = pick.Model.Model,
                SuggestedProvider = pick.Model.Provider.OtelName(),
                Requests = profile.Total.Requests,
                ObservedCostUsd = pick.ObservedCostUsd,
                ProjectedCostUsd = pick.ProjectedCostUsd,
                EstimatedSavings30dUsd = savings,
                Confidence = confidence,
                Rationale = Rationale(profile, current, pick, risks),
            };
        }
    }

    /// <summary>
    /// Starts at 0.90 for a model of the same or a higher class and 0.70 one class below, then takes off 0.25 for few
    /// samples, 0.15 for long outputs, 0.15 for reasoning use and 0.10 for a high error rate; never below 0.05.
    /// </summary>
    public static (decimal Confidence, IReadOnlyList<string> Risks) Confidence(UsageProfile profile, ModelCandidate pick, RecommendationSettings settings)
    {
        var confidence = pick.ClassStep < 0 ? 0.70m : 0.90m;
        var risks = new List<string>();
        var total = profile.Total;
        if (total.Requests < settings.MinSamples)
        {
            confidence -= 0.25m;
            risks.Add($"few samples ({Count(total.Requests)} calls, fewer than {Count(settings.MinSamples)})");
        }
        var longShare = total.Requests == 0 ? 0m : (decimal)profile.LongOutputRequests / total.Requests;
        if (longShare > settings.LongOutputShare)
        {
            confidence -= 0.15m;
            risks.Add($"long outputs ({Percent(longShare)} of calls above {Count(settings.LongOutputTokens)} output tokens, largest {Count(profile.MaxOutputTokens)})");
        }
        if (total.Reasoning > 0)
        {
            confidence -= 0.15m;
            risks.Add($"reasoning use ({total.Reasoning} reasoning tokens)");
        }
        if (profile.ErrorRate > settings.HighErrorRate)
        {
            confidence -= 0.10m;
            risks.Add($"high error rate ({Percent(profile.ErrorRate)} of calls failed, above {Percent(settings.HighErrorRate)})");
        }
        return (Math.Max(0.05m, confidence), risks);
    }

    private static string Rationale(UsageProfile profile, CatalogModel current, ModelCandidate pick, IReadOnlyList<string> risks)
    {
        var total = profile.Total;
        var step = pick.ClassStep switch { < 0 => "one class below", 0 => "same class", _ => "one class above" };
        var share = pick.ObservedCostUsd == 0 ? 0m : pick.SavingUsd / pick.ObservedCostUsd;
        return ($"{Count(total.Requests)} calls ({Count(total.Input)} input, {Count(total.Output)} output, {Count(total.CachedInput)} cached tokens) re-priced at " +
            $"{pick.Model.Model} prices: ${Money(pick.ProjectedCostUsd)} instead of ${Money(pick.ObservedCostUsd)} (-{Percent(share)}). " +
            $"Class {pick.Model.Capabilities.Class} vs {current.Capabilities.Class} ({step}); context window {Count(pick.Model.Capabilities.ContextWindow)} " +
            $"holds the largest prompt ({Count(profile.MaxInputTokens)} tokens). " +
            (risks.Count == 0 ? "Risk signals: none." : $"Risk signals: {string.Join("; ", risks)}."));
    }

    /// <summary>part / whole to four places (rounded half away from zero), as shares are stored (Decimal(9, 4)); 0 for nothing.</summary>
    internal static decimal Share(long part, long whole) =>
        whole == 0 ? 0m : decimal.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);

    internal static string Percent(decimal share) => (share * 100m).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>Counts in rationales read with thousands separators, whatever the process's culture.</summary>
    internal static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Money(decimal usd) => decimal.Round(usd, 6).ToString("0.######", CultureInfo.InvariantCulture);
}
