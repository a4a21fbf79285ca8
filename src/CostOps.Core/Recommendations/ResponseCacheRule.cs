using CostOps.Core.Pricing;

namespace CostOps.Core.Recommendations;

/// <summary>
/// Response cache: identical requests (same <c>request_hash</c>) repeated within a cache lifetime could be answered by
/// a cache in front of the model instead of the model. For each lifetime (5 minutes, 1 hour, 24 hours) the answered
/// calls are re-priced exactly at the model's prices (their whole cost is the saving) and the cache's own cost, an
/// assumption stated in the settings, is subtracted whole per recommendation, as if the scope needed its own cache.
/// The recommendation carries the lifetime with the largest net saving (the shorter on a tie: fresher answers); every
/// lifetime's figures are in its details and rationale.
/// <para>
/// A cached answer is the same answer: right for deterministic calls (temperature 0), wrong where the caller wants
/// variety. Confidence starts at 0.85 and loses 0.35 when more than 5 % of the repeated calls were sampled above
/// <see cref="RecommendationSettings.HighTemperature"/>, 0.20 when more than 5 % did not report a temperature, and
/// 0.25 for few samples; never below 0.05.
/// </para>
/// </summary>
public static class ResponseCacheRule
{
    /// <summary>The lifetimes analysed, shortest first.</summary>
    public static IReadOnlyList<TimeSpan> Lifetimes { get; } = [TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), TimeSpan.FromHours(24)];

    private const decimal SignalShare = 0.05m;

    public static IEnumerable<Recommendation> Evaluate(UsageProfile profile, CatalogModel model, MixPricer pricer, RecommendationContext context)
    {
        var repeats = profile.RequestRepeats;
        if (repeats.RepeatedRequests == 0 || repeats.Lifetimes.Count == 0) yield break;
        var settings = context.Settings;
        var total = profile.Total.Requests;
        var cacheCost30 = settings.ResponseCacheCost30dUsd;
        var options = repeats.Lifetimes
            .Select(l =>
            {
                var saving = l.Hits.Sum(s => pricer.Cost(model, s));
                return (Hits: l, Saving: saving, Net30: context.Per30Days(saving) - cacheCost30);
            })
            .ToList();
        var best = options.Where(o => o.Hits.Requests > 0).OrderByDescending(o => o.Net30).ThenBy(o => o.Hits.Lifetime).FirstOrDefault();
        if (best.Hits is null || best.Net30 <= 0 || best.Net30 < settings.MinSavings30dUsd) yield break;

        var observed = profile.Slices.Sum(s => pricer.Cost(model, s));
        var cacheCostWindow = cacheCost30 * context.WindowDays / 30m;
        var (confidence, risks) = Confidence(profile, settings);
        var details = new RecommendationDetails.Builder().Add("cache_lifetime", Name(best.Hits.Lifetime));
        foreach (var o in options)
        {
            var name = Name(o.Hits.Lifetime);
            details.Add($"cache_{name}_requests", o.Hits.Requests)
                .Add($"cache_{name}_share", SubstitutionRule.Share(o.Hits.Requests, total))
                .Add($"cache_{name}_saving_usd", context.Per30Days(o.Saving))
                .Add($"cache_{name}_net_saving_usd", o.Net30);
        }
        details.Add("cache_cost_usd", cacheCost30).Add("repeated_requests", repeats.RepeatedRequests)
            .Add("requests_without_temperature", repeats.WithoutTemperature).Add("requests_above_high_temperature", repeats.AboveHighTemperature);

        var perLifetime = string.Join("; ", options.Select(o =>
            $"{Name(o.Hits.Lifetime)}: {SubstitutionRule.Count(o.Hits.Requests)} calls ({SubstitutionRule.Percent(SubstitutionRule.Share(o.Hits.Requests, total))}), ${SubstitutionRule.Money(context.Per30Days(o.Saving))} of model cost, net ${SubstitutionRule.Money(o.Net30)}"));
        yield return context.Create(RecommendationKind.ResponseCache, profile.Scope) with
        {
            SuggestedModel = model.Model,
            SuggestedProvider = model.Provider.OtelName(),
            Requests = best.Hits.Requests,
            ObservedCostUsd = observed,
            ProjectedCostUsd = observed - best.Saving + cacheCostWindow,
            EstimatedSavings30dUsd = best.Net30,
            TrafficShare = SubstitutionRule.Share(best.Hits.Requests, total),
            Confidence = confidence,
            Details = details.Build(),
            Rationale = ($"{SubstitutionRule.Count(repeats.RepeatedRequests)} of {SubstitutionRule.Count(total)} calls share their request with another call (same request_hash). " +
                $"A response cache keeping answers for {Name(best.Hits.Lifetime)} would have answered {SubstitutionRule.Count(best.Hits.Requests)} of them " +
                $"(${SubstitutionRule.Money(context.Per30Days(best.Saving))} of {model.Model} cost per 30 days) for an assumed ${SubstitutionRule.Money(cacheCost30)} per 30 days of cache " +
                $"(setting Recommendations:ResponseCacheCostUsd). Per lifetime, per 30 days: {perLifetime}. " +
                (risks.Count == 0 ? "Risk signals: none." : $"Risk signals: {string.Join("; ", risks)}.")),
        };
    }

    /// <summary>0.85, less 0.35 for hot sampling, 0.20 for unknown temperatures, 0.25 for few samples; at least 0.05.</summary>
    public static (decimal Confidence, IReadOnlyList<string> Risks) Confidence(UsageProfile profile, RecommendationSettings settings)
    {
        var repeats = profile.RequestRepeats;
        var confidence = 0.85m;
        var risks = new List<string>();
        var hot = SubstitutionRule.Share(repeats.AboveHighTemperature, repeats.RepeatedRequests);
        if (hot > SignalShare)
        {
            confidence -= 0.35m;
            risks.Add($"{SubstitutionRule.Percent(hot)} of repeated calls sampled above temperature {RecommendationDetails.Exact(settings.HighTemperature)}: their callers may expect varied answers");
        }
        var unknown = SubstitutionRule.Share(repeats.WithoutTemperature, repeats.RepeatedRequests);
        if (unknown > SignalShare)
        {
            confidence -= 0.20m;
            risks.Add($"{SubstitutionRule.Percent(unknown)} of repeated calls reported no temperature");
        }
        if (profile.Total.Requests < settings.MinSamples)
        {
            confidence -= 0.25m;
            risks.Add($"few samples ({SubstitutionRule.Count(profile.Total.Requests)} calls, fewer than {SubstitutionRule.Count(settings.MinSamples)})");
        }
        return (Math.Max(0.05m, confidence), risks);
    }

    /// <summary>"5m", "1h", "24h".</summary>
    public static string Name(TimeSpan lifetime) => lifetime.TotalMinutes < 60 ? $"{(int)lifetime.TotalMinutes}m" : $"{(int)lifetime.TotalHours}h";
}
