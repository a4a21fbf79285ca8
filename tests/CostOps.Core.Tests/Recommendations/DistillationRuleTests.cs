using CostOps.Core.Pricing;
using CostOps.Core.Recommendations;

namespace CostOps.Core.Tests.Recommendations;

/// <summary>
/// The distillation rule on hand-built profiles and the bundled catalog (gpt-4o: $2.50 in, $10 out per 1M), with
/// fine-tuning prices given by each test, so break-even and candidate order are checked by hand.
/// </summary>
public sealed class DistillationRuleTests
{
    private const decimal M = 1_000_000m;
    private static readonly PriceCatalog Catalog = BundledCatalog.Load().ToCatalog();
    private static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    // 2,000 calls a day for 30 days, 1,500 input and 200 output tokens each, on every day, perfectly steady.
    private static UsageProfile Steady(string provider, string model) => new()
    {
        Scope = new TrafficScope("t", "p", "f", provider, model),
        Slices = [new MixSlice(0, false, false, new TokenMix(60_000, 60_000 * 1_500L, 60_000 * 200L), 0m)],
        MaxInputTokens = 1_500,
        MaxOutputTokens = 200,
        Volume = new DailyVolume(30, 0m, 0m),
    };

    private static IReadOnlyList<Recommendation> Run(UsageProfile profile, IReadOnlyList<FineTuningPrice> fineTuning, RecommendationSettings? settings = null) =>
        RecommendationEngine.Analyze([profile], [], Catalog, At, 30, settings ?? new RecommendationSettings(), fineTuning)
            .Where(r => r.Kind == RecommendationKind.Distillation).ToList();

    private static FineTuningPrice Price(ProviderId provider, string model, decimal training, decimal input, decimal output) =>
        new(provider, model, training, input, input / 2, output, new DateOnly(2025, 1, 1), "test");

    [Fact]
    public void Break_even_beyond_the_limit_is_not_recommended()
    {
        // gpt-4o costs 60,000 × (1,500 × 2.50 + 200 × 10) / 1M = 345 per 30 days; a fine-tuned gpt-4o-mini at $0.30 / $1.20
        // costs 60,000 × (450 + 240) / 1M = 41.4: saves 303.6. Training 10,000 × 1,700 × 3 = 51,000,000 tokens.
        // At $3 per 1M: 153 -> break-even ⌈153 × 30 / 303.6⌉ = ⌈15.12⌉ = 16 days.
        var cheap = Assert.Single(Run(Steady("openai", "gpt-4o"), [Price(ProviderId.OpenAI, "gpt-4o-mini", 3m, 0.30m, 1.20m)]));
        Assert.Equal(303.6m, cheap.EstimatedSavings30dUsd);
        Assert.Equal("153", cheap.Details["fine_tuning_cost_usd"]);
        Assert.Equal("16", cheap.Details["break_even_days"]);

        // At $600 per 1M training costs 30,600: ⌈30,600 × 30 / 303.6⌉ = 3,024 days, beyond 90: nothing.
        Assert.Empty(Run(Steady("openai", "gpt-4o"), [Price(ProviderId.OpenAI, "gpt-4o-mini", 600m, 0.30m, 1.20m)]));
    }

    [Fact]
    public void The_same_providers_model_comes_first_even_when_another_saves_more()
    {
        // A cross-provider small model that saves more (gemini-2.0-flash at $0.10 / $0.40) loses to the same provider's.
        var fineTuning = new[]
        {
            Price(ProviderId.GcpGemini, "gemini-2.0-flash", 3m, 0.10m, 0.40m),
            Price(ProviderId.OpenAI, "gpt-4o-mini", 3m, 0.30m, 1.20m),
        };
        var pick = Assert.Single(Run(Steady("openai", "gpt-4o"), fineTuning));
        Assert.Equal(("openai", "gpt-4o-mini"), (pick.SuggestedProvider, pick.SuggestedModel));

        // Without a same-provider candidate, the other provider's is offered.
        var other = Assert.Single(Run(Steady("openai", "gpt-4o"), [fineTuning[0]]));
        Assert.Equal("gemini-2.0-flash", other.SuggestedModel);
        Assert.Equal(345m - 60_000 * (1_500 * 0.10m + 200 * 0.40m) / M, other.EstimatedSavings30dUsd);
    }

    [Fact]
    public void Unsteady_or_unmeasured_traffic_gets_no_distillation()
    {
        var fineTuning = new[] { Price(ProviderId.OpenAI, "gpt-4o-mini", 3m, 0.30m, 1.20m) };
        Assert.Empty(Run(Steady("openai", "gpt-4o") with { Volume = new DailyVolume(30, 0.51m, 0m) }, fineTuning));
        Assert.Empty(Run(Steady("openai", "gpt-4o") with { Volume = new DailyVolume(23, 0m, 0m) }, fineTuning));
        Assert.Empty(Run(Steady("openai", "gpt-4o") with { Volume = null }, fineTuning));
        Assert.Single(Run(Steady("openai", "gpt-4o") with { Volume = new DailyVolume(24, 0.5m, 0m) }, fineTuning));
    }
}
