using CostOps.Core.Recommendations;
using CostOps.Infrastructure.Recommendations;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Recommendations;

/// <summary>
/// Known-answer scenarios for the response-cache and distillation kinds: traffic ingested through the real pipeline into
/// embedded ClickHouse, the real grouped queries, the real engine. Expected figures are computed here by hand from prices
/// written out (USD per 1M tokens: the catalog's for gpt-4.1 and gpt-4o, OpenAI's fine-tuning table for the fine-tuned
/// models), not taken from the code under test. Each test has its own tenant and a 30-day window, so a window's amount
/// is its 30-day amount.
/// </summary>
public sealed class CostLeverScenarioTests(IngestionFixture fixture, AzuriteFixture azurite) : IClassFixture<IngestionFixture>, IClassFixture<AzuriteFixture>
{
    private const decimal M = 1_000_000m;
    private static readonly DateTimeOffset Now = IngestionFixture.Now;

    private async Task IngestAsync(Traffic traffic)
    {
        var summary = await fixture.Handler.HandleAsync([traffic.Bytes()], "test", CancellationToken.None);
        Assert.True(summary.Rejected == 0, $"rejected: {summary.Rejected}");
    }

    // 10,000 gpt-4.1 calls of 5,000 input and 1,000 output tokens ($2 / $8 per 1M: $0.018 a call): 4,000 unique requests
    // and 3,000 requests sent twice, the repeat 2 minutes after the first (1,000 of them) or 30 minutes after (2,000).
    private static Traffic TenThousandCalls(string tenant, string feature, decimal? temperature, bool withHashes = true)
    {
        var firstAt = Now.AddHours(-60);
        return new Traffic(Now)
            .Add(4_000, tenant, "support", feature, "openai", "gpt-4.1", 5_000, 1_000, temperature: temperature,
                requestHash: withHashes ? i => $"unique-{i}" : null, at: i => firstAt.AddSeconds(20 * i))
            .Add(3_000, tenant, "support", feature, "openai", "gpt-4.1", 5_000, 1_000, temperature: temperature,
                requestHash: withHashes ? i => $"pair-{i}" : null, at: i => firstAt.AddSeconds(30 * i))
            .Add(3_000, tenant, "support", feature, "openai", "gpt-4.1", 5_000, 1_000, temperature: temperature,
                requestHash: withHashes ? i => $"pair-{i}" : null, at: i => firstAt.AddSeconds(30 * i).AddMinutes(i < 1_000 ? 2 : 30));
    }

    [Fact]
    public async Task Ten_thousand_calls_with_3000_repeats_within_an_hour_save_their_exact_cost_less_the_stated_cache_cost()
    {
        await IngestAsync(TenThousandCalls("t-rcache", "faq", temperature: 0m));
        var options = new Dictionary<string, string?> { ["Recommendations:ResponseCacheCostUsd"] = "20" };
        var run = await RecommendationTestHost.Create(fixture, azurite.Tables, settings: options).RunAsync(30, "t-rcache");

        var cache = Assert.Single(run.Recommendations, r => r.Kind == RecommendationKind.ResponseCache);
        var perCall = 5_000 * 2m / M + 1_000 * 8m / M;
        Assert.Equal(0.018m, perCall);
        // 5 minutes: the 1,000 two-minute repeats; 1 hour and 24 hours: all 3,000 repeats (nothing else repeats).
        Assert.Equal("1000", cache.Details["cache_5m_requests"]);
        Assert.Equal("3000", cache.Details["cache_1h_requests"]);
        Assert.Equal("3000", cache.Details["cache_24h_requests"]);
        Assert.Equal(Text(1_000 * perCall), cache.Details["cache_5m_saving_usd"]); // 18
        Assert.Equal(Text(1_000 * perCall - 20m), cache.Details["cache_5m_net_saving_usd"]); // -2: not worth a cache
        Assert.Equal(Text(3_000 * perCall), cache.Details["cache_1h_saving_usd"]); // 54
        Assert.Equal("0.3", cache.Details["cache_1h_share"]);
        Assert.Equal("0.1", cache.Details["cache_5m_share"]);

        // The recommendation is the 1-hour cache (24 hours saves the same; the shorter lifetime wins the tie).
        Assert.Equal("1h", cache.Details["cache_lifetime"]);
        Assert.Equal(3_000 * perCall - 20m, cache.EstimatedSavings30dUsd); // 34
        Assert.Equal(3_000, cache.Requests);
        Assert.Equal(0.3m, cache.TrafficShare);
        Assert.Equal(10_000 * perCall, cache.ObservedCostUsd); // 180
        Assert.Equal(10_000 * perCall - 3_000 * perCall + 20m, cache.ProjectedCostUsd); // 146
        Assert.Equal("gpt-4.1", cache.SuggestedModel);
        Assert.Equal(0.85m, cache.Confidence); // temperature 0 on every call
        Assert.Contains("Risk signals: none", cache.Rationale, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cache_entry_answers_only_until_it_expires_a_lifetime_after_the_miss_that_wrote_it()
    {
        // 4,000 unique gpt-4.1 calls and 1,000 requests sent four times, at 0, 40, 70 and 100 minutes. A 1-hour entry
        // written at 0 answers 40; 70 comes after it expires and writes another, which answers 100: 2 hits a request,
        // though every gap is under an hour (a cache whose hits extended the entry would answer 3). 5 minutes: no gap is
        // that short, no hit. 24 hours: one entry answers all three repeats.
        var firstAt = Now.AddHours(-60);
        var traffic = new Traffic(Now)
            .Add(4_000, "t-rttl", "support", "faq", "openai", "gpt-4.1", 5_000, 1_000, temperature: 0m,
                requestHash: i => $"unique-{i}", at: i => firstAt.AddSeconds(20 * i));
        foreach (var minutes in new[] { 0, 40, 70, 100 })
        {
            traffic.Add(1_000, "t-rttl", "support", "faq", "openai", "gpt-4.1", 5_000, 1_000, temperature: 0m,
                requestHash: i => $"four-{i}", at: i => firstAt.AddSeconds(30 * i).AddMinutes(minutes));
        }
        await IngestAsync(traffic);
        var run = await RecommendationTestHost.Create(fixture, azurite.Tables, settings: new() { ["Recommendations:ResponseCacheCostUsd"] = "20" })
            .RunAsync(30, "t-rttl");

        var cache = Assert.Single(run.Recommendations, r => r.Kind == RecommendationKind.ResponseCache);
        var perCall = 5_000 * 2m / M + 1_000 * 8m / M; // $0.018
        Assert.Equal("0", cache.Details["cache_5m_requests"]);
        Assert.Equal("2000", cache.Details["cache_1h_requests"]);
        Assert.Equal("3000", cache.Details["cache_24h_requests"]);
        Assert.Equal(Text(2_000 * perCall), cache.Details["cache_1h_saving_usd"]); // 36
        Assert.Equal("24h", cache.Details["cache_lifetime"]);
        Assert.Equal(3_000 * perCall - 20m, cache.EstimatedSavings30dUsd); // 34
    }

    [Fact]
    public async Task Hot_or_unreported_temperatures_lower_the_cache_confidence()
    {
        await IngestAsync(TenThousandCalls("t-rhot", "ideas", temperature: 1m));
        await IngestAsync(TenThousandCalls("t-rnone", "faq", temperature: null));
        var options = new Dictionary<string, string?> { ["Recommendations:ResponseCacheCostUsd"] = "20" };
        var service = RecommendationTestHost.Create(fixture, azurite.Tables, settings: options);

        var hot = Assert.Single((await service.RunAsync(30, "t-rhot")).Recommendations, r => r.Kind == RecommendationKind.ResponseCache);
        Assert.Equal(0.50m, hot.Confidence); // 0.85 - 0.35
        Assert.Contains("above temperature 0.5", hot.Rationale, StringComparison.Ordinal);
        var unknown = Assert.Single((await service.RunAsync(30, "t-rnone")).Recommendations, r => r.Kind == RecommendationKind.ResponseCache);
        Assert.Equal(0.65m, unknown.Confidence); // 0.85 - 0.20
        Assert.Contains("reported no temperature", unknown.Rationale, StringComparison.Ordinal);
        // The money does not depend on the temperature.
        Assert.Equal(34m, hot.EstimatedSavings30dUsd);
        Assert.Equal(34m, unknown.EstimatedSavings30dUsd);
    }

    [Fact]
    public async Task No_response_cache_without_request_hashes_or_when_the_cache_costs_more_than_it_saves()
    {
        await IngestAsync(TenThousandCalls("t-rnohash", "faq", temperature: 0m, withHashes: false));
        var cheap = RecommendationTestHost.Create(fixture, azurite.Tables, settings: new() { ["Recommendations:ResponseCacheCostUsd"] = "20" });
        Assert.DoesNotContain((await cheap.RunAsync(30, "t-rnohash")).Recommendations, r => r.Kind == RecommendationKind.ResponseCache);

        // The same repeats as above save $54 per 30 days at most: a $60 cache is not worth it.
        await IngestAsync(TenThousandCalls("t-rdear", "faq", temperature: 0m));
        var dear = RecommendationTestHost.Create(fixture, azurite.Tables, settings: new() { ["Recommendations:ResponseCacheCostUsd"] = "60" });
        Assert.DoesNotContain((await dear.RunAsync(30, "t-rdear")).Recommendations, r => r.Kind == RecommendationKind.ResponseCache);
    }

    // Calls a day on each of the window's 30 days (or fewer), one hour into each 24-hour day counted back from now.
    private static Traffic Daily(string tenant, string feature, string model, int perDay, int days, long input, long output) =>
        new Traffic(Now).Add(perDay * days, tenant, "tickets", feature, "openai", model, input, output,
            promptHash: i => $"{feature}-instructions", at: i => Now.AddDays(-(i % days)).AddHours(-1).AddSeconds(-(i / days)));

    [Fact]
    public async Task A_steady_gpt_4o_workload_gets_a_distillation_with_hand_computed_fine_tuning_cost_saving_and_break_even()
    {
        // 100 calls a day for 30 days on gpt-4o ($2.50 in, $10 out), 1,500 input and 200 output tokens each.
        await IngestAsync(Daily("t-distil", "classify", "gpt-4o", perDay: 100, days: 30, input: 1_500, output: 200));
        var options = new Dictionary<string, string?> { ["Recommendations:DistillationMinDailyCalls"] = "100" };
        var run = await RecommendationTestHost.Create(fixture, azurite.Tables, settings: options).RunAsync(30, "t-distil");

        var distil = Assert.Single(run.Recommendations, r => r.Kind == RecommendationKind.Distillation);
        var observed = 3_000 * (1_500 * 2.50m + 200 * 10m) / M; // 17.25
        Assert.Equal(17.25m, observed);
        // Fine-tuned candidates of a smaller class (OpenAI fine-tuning prices, input / output per 1M):
        // gpt-4.1-nano $0.20 / $0.80 -> 1.38; gpt-4o-mini $0.30 / $1.20 -> 2.07; gpt-4.1-mini $0.80 / $3.20 -> 5.52. Nano saves most.
        var nano = 3_000 * (1_500 * 0.20m + 200 * 0.80m) / M;
        Assert.Equal(1.38m, nano);
        Assert.Equal("gpt-4.1-nano", distil.SuggestedModel);
        Assert.Equal(observed, distil.ObservedCostUsd);
        Assert.Equal(nano, distil.ProjectedCostUsd);
        Assert.Equal(observed - nano, distil.EstimatedSavings30dUsd); // 15.87

        // Training: min(10,000 examples, 3,000 calls) × 1,700 tokens × 3 epochs = 15,300,000 tokens at $1.50 per 1M.
        Assert.Equal("15300000", distil.Details["training_tokens"]);
        var fineTuning = 15_300_000 * 1.50m / M; // 22.95
        Assert.Equal(Text(fineTuning), distil.Details["fine_tuning_cost_usd"]);
        // Break-even: 22.95 / (15.87 / 30) = 43.38... days -> 44.
        Assert.Equal("44", distil.Details["break_even_days"]);
        Assert.Equal(Text(nano), distil.Details["fine_tuned_cost_per_30d_usd"]);
        Assert.Equal("30", distil.Details["active_days"]);
        Assert.Equal("0", distil.Details["daily_variation"]);
        Assert.Equal("0.9997", distil.Details["prefix_share"]); // 2,999 of 3,000 calls repeat the instructions prefix
        Assert.Equal(0.60m, distil.Confidence);
        Assert.Contains("Evaluate the fine-tuned model's quality", distil.Rationale, StringComparison.Ordinal);
        Assert.Contains("100 a day", distil.Rationale, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_distillation_below_the_volume_or_steadiness_thresholds_or_on_a_small_model()
    {
        await IngestAsync(Daily("t-nodistil", "steady", "gpt-4o", perDay: 100, days: 30, input: 1_500, output: 200));
        // Bursty: as many calls, on 20 of the 30 days only (active on 67 % of days, under the 80 % threshold).
        await IngestAsync(Daily("t-nodistil", "bursty", "gpt-4o", perDay: 150, days: 20, input: 1_500, output: 200));
        // Already small: gpt-4o-mini has no smaller fine-tunable model.
        await IngestAsync(Daily("t-nodistil", "small", "gpt-4o-mini", perDay: 100, days: 30, input: 1_500, output: 200));

        // Default thresholds: 100 calls a day is under the 1,000 a day minimum.
        var byDefault = await RecommendationTestHost.Create(fixture, azurite.Tables).RunAsync(30, "t-nodistil");
        Assert.DoesNotContain(byDefault.Recommendations, r => r.Kind == RecommendationKind.Distillation);

        // With the minimum lowered to 100 a day, only the steady gpt-4o workload qualifies.
        var lowered = await RecommendationTestHost.Create(fixture, azurite.Tables, settings: new() { ["Recommendations:DistillationMinDailyCalls"] = "100" }).RunAsync(30, "t-nodistil");
        var only = Assert.Single(lowered.Recommendations, r => r.Kind == RecommendationKind.Distillation);
        Assert.Equal("steady", only.Feature);
    }

    private static string Text(decimal value) => RecommendationJson.Text(value);
}
