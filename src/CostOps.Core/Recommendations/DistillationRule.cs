using CostOps.Core.Pricing;

namespace CostOps.Core.Recommendations;

/// <summary>
/// Distillation: steady, high-volume traffic on a large model (class mid or above, not reasoning) could run on a
/// smaller model fine-tuned on the large model's own answers. Thresholds (settings): at least
/// <see cref="RecommendationSettings.DistillationMinDailyCalls"/> calls a day on average, calls on at least
/// <see cref="RecommendationSettings.DistillationMinActiveDayShare"/> of the days, and daily volume varying by at most
/// <see cref="RecommendationSettings.DistillationMaxDailyVariation"/> (coefficient of variation).
/// <para>
/// Figures, all exact decimals:
/// tokens per example = ⌈(input + output tokens) / calls⌉ of the scope's own mix; training tokens = min(examples
/// setting, calls) × tokens per example × epochs; fine-tuning cost = training tokens × the candidate's training price.
/// The scope's token mix is re-priced at the fine-tuned model's prices (<see cref="FineTuningPrices"/>; cache writes at
/// its input price, batch calls at its standard prices, no tenant discount: a conservative projection); the saving
/// per 30 days is the current model's cost minus that; break-even days = ⌈fine-tuning cost × 30 / saving per 30 days⌉.
/// </para>
/// Candidates are the fine-tunable models of a smaller class that hold the largest prompt and output seen and accept
/// the current model's input modalities, the same provider's first. A recommendation needs break-even within
/// <see cref="RecommendationSettings.DistillationMaxBreakEvenDays"/>. Confidence starts at 0.60 (a fine-tuned small model
/// must be evaluated against the large one before any traffic moves) and loses 0.10 each for varied prompts (under half
/// the calls repeat a prompt prefix seen earlier in the window), varied output lengths (coefficient of variation above
/// 1) and a high error rate.
/// </summary>
public static class DistillationRule
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>
    /// Whether a scope could qualify before its days are looked at: a large model (class mid or above, not a reasoning
    /// model), no reasoning tokens, and enough calls a day on average. Only such scopes' daily volume is read.
    /// </summary>
    public static bool NeedsVolume(UsageProfile profile, CatalogModel current, RecommendationSettings settings, int windowDays)
    {
        var total = profile.Total;
        return CapabilityClasses.Rank(current.Capabilities.Class) >= 1 && !current.Capabilities.Reasoning && total.Reasoning == 0
            && total.Requests > 0 && (decimal)total.Requests / windowDays >= settings.DistillationMinDailyCalls;
    }

    public static IEnumerable<Recommendation> Evaluate(UsageProfile profile, CatalogModel current, MixPricer pricer, RecommendationContext context,
        IReadOnlyList<FineTuningPrice> fineTuning)
    {
        var settings = context.Settings;
        var days = context.WindowDays;
        if (profile.Volume is not { } volume || !NeedsVolume(profile, current, settings, days)) yield break;
        var total = profile.Total;
        var callsPerDay = (decimal)total.Requests / days;
        var activeShare = (decimal)volume.ActiveDays / days;
        if (activeShare < settings.DistillationMinActiveDayShare || volume.DailyVariation > settings.DistillationMaxDailyVariation) yield break;

        var observed = profile.Slices.Sum(s => pricer.Cost(current, s));
        var tokensPerExample = (total.Input + total.Output + total.Requests - 1) / total.Requests;
        var examples = Math.Min(settings.DistillationTrainingExamples, total.Requests);
        var trainingTokens = examples * tokensPerExample * settings.DistillationEpochs;

        var pick = Candidates(profile, current, pricer.Catalog, fineTuning.Where(f => f.EffectiveFrom <= DateOnly.FromDateTime(pricer.At.UtcDateTime)))
            .Select(c =>
            {
                var rates = new MixRates(c.Price.Input / PerMillion, c.Price.CacheRead / PerMillion, c.Price.Input / PerMillion, c.Price.Output / PerMillion, 0m, false);
                var projected = profile.Slices.Sum(s => rates.Cost(s.Mix));
                var saving30 = context.Per30Days(observed - projected);
                var fineTuningCost = trainingTokens * c.Price.Training / PerMillion;
                var breakEven = saving30 > 0 ? (long)decimal.Ceiling(fineTuningCost * 30m / saving30) : long.MaxValue;
                return (c.Model, c.Price, SameProvider: c.Model.Provider == current.Provider, Projected: projected, Saving30: saving30, FineTuningCost: fineTuningCost, BreakEven: breakEven);
            })
            .Where(c => c.Saving30 >= settings.MinSavings30dUsd && c.Saving30 > 0 && c.BreakEven <= settings.DistillationMaxBreakEvenDays)
            .OrderByDescending(c => c.SameProvider)
            .ThenByDescending(c => c.Saving30)
            .ThenBy(c => c.Model.Model, StringComparer.Ordinal)
            .FirstOrDefault();
        if (pick.Model is null) yield break;

        var prefixShare = SubstitutionRule.Share(profile.Repeats.RepeatingCalls, total.Requests);
        var confidence = 0.60m;
        var risks = new List<string>();
        if (prefixShare < 0.5m)
        {
            confidence -= 0.10m;
            risks.Add($"varied prompts (only {SubstitutionRule.Percent(prefixShare)} of calls repeat a prompt prefix)");
        }
        if (volume.OutputVariation > 1m)
        {
            confidence -= 0.10m;
            risks.Add($"varied output lengths (coefficient of variation {RecommendationDetails.Exact(volume.OutputVariation)})");
        }
        if (profile.ErrorRate > settings.HighErrorRate)
        {
            confidence -= 0.10m;
            risks.Add($"high error rate ({SubstitutionRule.Percent(profile.ErrorRate)} of calls failed)");
        }

        var current30 = context.Per30Days(observed);
        var fineTuned30 = context.Per30Days(pick.Projected);
        var details = new RecommendationDetails.Builder()
            .Add("base_model", pick.Model.Model)
            .Add("calls_per_day", decimal.Round(callsPerDay, 2, MidpointRounding.AwayFromZero))
            .Add("active_days", volume.ActiveDays)
            .Add("daily_variation", volume.DailyVariation)
            .Add("output_variation", volume.OutputVariation)
            .Add("prefix_share", prefixShare)
            .Add("training_examples", examples)
            .Add("tokens_per_example", tokensPerExample)
            .Add("epochs", settings.DistillationEpochs)
            .Add("training_tokens", trainingTokens)
            .Add("training_price_per_1m_usd", pick.Price.Training)
            .Add("fine_tuning_cost_usd", pick.FineTuningCost)
            .Add("current_cost_per_30d_usd", current30)
            .Add("fine_tuned_cost_per_30d_usd", fineTuned30)
            .Add("saving_per_30d_usd", pick.Saving30)
            .Add("break_even_days", pick.BreakEven)
            .Build();
        yield return context.Create(RecommendationKind.Distillation, profile.Scope) with
        {
            SuggestedModel = pick.Model.Model,
            SuggestedProvider = pick.Model.Provider.OtelName(),
            Requests = total.Requests,
            ObservedCostUsd = observed,
            ProjectedCostUsd = pick.Projected,
            EstimatedSavings30dUsd = pick.Saving30,
            Confidence = Math.Max(0.05m, confidence),
            Details = details,
            Rationale = ($"Steady volume: {SubstitutionRule.Count(total.Requests)} calls over {days} days ({SubstitutionRule.Count((long)decimal.Round(callsPerDay, 0, MidpointRounding.AwayFromZero))} a day, on {volume.ActiveDays} of {days} days, " +
                $"daily variation {RecommendationDetails.Exact(volume.DailyVariation)}); stability: {SubstitutionRule.Percent(prefixShare)} of calls repeat a prompt prefix, " +
                $"output length variation {RecommendationDetails.Exact(volume.OutputVariation)}. Fine-tuning {pick.Model.Model} ({pick.Model.Provider.OtelName()}) on {SubstitutionRule.Count(examples)} examples " +
                $"of {SubstitutionRule.Count(tokensPerExample)} tokens × {settings.DistillationEpochs} epochs = {SubstitutionRule.Count(trainingTokens)} training tokens at ${RecommendationDetails.Exact(pick.Price.Training)}/1M costs " +
                $"${SubstitutionRule.Money(pick.FineTuningCost)} once; the fine-tuned model would cost ${SubstitutionRule.Money(fineTuned30)} per 30 days instead of ${SubstitutionRule.Money(current30)} on {current.Model}, " +
                $"saving ${SubstitutionRule.Money(pick.Saving30)} per 30 days: break-even in {pick.BreakEven} days. Evaluate the fine-tuned model's quality on held-out calls before switching any traffic. " +
                (risks.Count == 0 ? "Risk signals: none." : $"Risk signals: {string.Join("; ", risks)}.")),
        };
    }

    /// <summary>Fine-tunable catalog models of a smaller class that can take the scope's prompts, outputs and modalities.</summary>
    public static IEnumerable<(CatalogModel Model, FineTuningPrice Price)> Candidates(
        UsageProfile profile, CatalogModel current, PriceCatalog catalog, IEnumerable<FineTuningPrice> fineTuning)
    {
        var rank = CapabilityClasses.Rank(current.Capabilities.Class);
        foreach (var price in fineTuning)
        {
            if (catalog.Find(price.Provider, price.BaseModel) is not { } model) continue;
            var caps = model.Capabilities;
            if (CapabilityClasses.Rank(caps.Class) is not { } r || r >= rank) continue;
            if (caps.ContextWindow < profile.MaxInputTokens) continue;
            if (caps.MaxOutputTokens > 0 && caps.MaxOutputTokens < profile.MaxOutputTokens) continue;
            if (!current.Capabilities.Modalities.All(m => caps.Modalities.Contains(m))) continue;
            yield return (model, price);
        }
    }
}
