using CostOps.Core.Budgets;
using CostOps.Core.Pricing;
using CostOps.Core.Recommendations;
using CostOps.Infrastructure.Budgets;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Recommendations;

/// <summary>
/// Known-answer scenarios: traffic ingested through the real pipeline into embedded ClickHouse, the real grouped
/// queries, the real engine. Every expected figure is computed here by hand from catalog prices written out
/// (USD per 1M tokens), not taken from the code under test. Each test uses its own tenant and a 30-day window,
/// so the 30-day saving equals the window's saving.
/// </summary>
public sealed class RecommendationScenarioTests(IngestionFixture fixture, AzuriteFixture azurite)
    : IClassFixture<IngestionFixture>, IClassFixture<AzuriteFixture>
{
    private const decimal M = 1_000_000m;

    private async Task IngestAsync(Traffic traffic)
    {
        var summary = await fixture.Handler.HandleAsync([traffic.Bytes()], "test", CancellationToken.None);
        Assert.True(summary.Rejected == 0, $"rejected: {summary.Rejected}");
    }

    [Fact]
    public async Task Short_gpt_4o_traffic_is_sent_to_a_cheaper_model_with_the_hand_computed_saving()
    {
        // 200 calls × (500 input, 100 output) = 100,000 input and 20,000 output tokens.
        await IngestAsync(new Traffic(IngestionFixture.Now).Add(200, "t-sub", "chat", "assistant", "openai", "gpt-4o", 500, 100));
        var run = await RecommendationTestHost.Create(fixture, azurite.Tables).RunAsync(30, "t-sub");

        var subs = run.Recommendations.Where(r => r.Kind == RecommendationKind.ModelSubstitution).ToList();
        // gpt-4o: $2.50 in, $10 out.
        var observed = 100_000 * 2.50m / M + 20_000 * 10m / M; // 0.45
        Assert.Equal(0.45m, observed);

        // One class below: the cheapest small model with gpt-4o's modalities, no reasoning: gpt-4.1-nano at $0.10 / $0.40
        // (gpt-4o-mini at $0.15 / $0.60 would cost 0.027; gpt-3.5-turbo has no image input).
        var down = Assert.Single(subs, r => r.SuggestedModel == "gpt-4.1-nano");
        var nano = 100_000 * 0.10m / M + 20_000 * 0.40m / M; // 0.018
        Assert.Equal(observed, down.ObservedCostUsd);
        Assert.Equal(nano, down.ProjectedCostUsd);
        Assert.Equal(0.432m, down.EstimatedSavings30dUsd);
        Assert.Equal(0.70m, down.Confidence); // one class below, no risk signal
        Assert.Contains("Risk signals: none", down.Rationale, StringComparison.Ordinal);

        // Same class or above: gpt-5-chat-latest at $1.25 / $10 beats gpt-4.1 at $2 / $8 for this input-heavy mix.
        var up = Assert.Single(subs, r => r.SuggestedModel == "gpt-5-chat-latest");
        var chat = 100_000 * 1.25m / M + 20_000 * 10m / M; // 0.325
        Assert.Equal(chat, up.ProjectedCostUsd);
        Assert.Equal(observed - chat, up.EstimatedSavings30dUsd);
        Assert.Equal(0.90m, up.Confidence);
        Assert.Equal(2, subs.Count);
        Assert.All(run.Recommendations, r => Assert.Equal("openai", r.SuggestedProvider));
    }

    [Fact]
    public async Task Traffic_that_needs_a_200k_context_is_never_sent_to_a_128k_model()
    {
        // gpt-4.1 (1,047,576 context): one tenant's prompts reach 200,000 tokens, the other's stay at 100,000.
        await IngestAsync(new Traffic(IngestionFixture.Now)
            .Add(150, "t-long", "docs", "summarise", "openai", "gpt-4.1", 20_000, 300)
            .Add(10, "t-long", "docs", "summarise", "openai", "gpt-4.1", 200_000, 300)
            .Add(160, "t-short", "docs", "summarise", "openai", "gpt-4.1", 100_000, 300));
        var service = RecommendationTestHost.Create(fixture, azurite.Tables);
        var catalog = BundledCatalog.Load().ToCatalog();

        var longRun = await service.RunAsync(30, "t-long");
        var suggested = longRun.Recommendations.Where(r => r.SuggestedModel.Length > 0 && r.SuggestedModel != r.CurrentModel).ToList();
        Assert.NotEmpty(suggested);
        foreach (var r in suggested)
        {
            var window = catalog.Find(ProviderId.OpenAI, r.SuggestedModel)!.Capabilities.ContextWindow;
            Assert.True(window >= 200_000, $"{r.SuggestedModel} ({window} tokens) cannot hold a 200,000-token prompt");
        }
        Assert.DoesNotContain(suggested, r => r.SuggestedModel is "gpt-4o-mini" or "gpt-5-chat-latest" or "gpt-5.1-chat-latest");

        // The control: the same model with prompts that fit 128k does get the 128k frontier chat model
        // (gpt-5-chat-latest, $1.25 in vs gpt-4.1's $2: input-heavy traffic is cheaper there), so the window is what excluded it.
        var shortRun = await service.RunAsync(30, "t-short");
        var chat = Assert.Single(shortRun.Recommendations, r => r.SuggestedModel == "gpt-5-chat-latest");
        // 160 × 100,000 = 16,000,000 input, 160 × 300 = 48,000 output.
        Assert.Equal(16_000_000 * 2m / M + 48_000 * 8m / M, chat.ObservedCostUsd); // 32.384
        Assert.Equal(16_000_000 * 1.25m / M + 48_000 * 10m / M, chat.ProjectedCostUsd); // 20.48
    }

    [Fact]
    public async Task Repeated_prompt_prefixes_without_cache_reads_yield_a_caching_recommendation_with_the_right_saving()
    {
        // gpt-4.1: input $2, cache read $0.50, no cache-write price (OpenAI caches automatically: writes cost the input price).
        // 100 calls of 3,000 input / 50 output tokens, 10 prompt prefixes × 10 calls each, no cache reads.
        await IngestAsync(new Traffic(IngestionFixture.Now)
            .Add(100, "t-cache", "support", "triage", "openai", "gpt-4.1", 3_000, 50, promptHash: i => $"prefix-{i % 10}")
            // Anthropic haiku 4.5: writes at $1.25 vs $1 input, read back never: 100 calls writing 2,000 tokens each.
            .Add(100, "t-cache", "support", "drafts", "anthropic", "claude-haiku-4-5", 2_000, 100, cacheWrite: 2_000));
        var run = await RecommendationTestHost.Create(fixture, azurite.Tables).RunAsync(30, "t-cache");

        var caching = Assert.Single(run.Recommendations, r => r.Kind == RecommendationKind.PromptCaching);
        // Each prefix: 9 repeat calls × 3,000 tokens could be cache reads; 10 prefixes → 270,000 tokens.
        var saving = 270_000 * (2m - 0.50m) / M; // 0.405
        Assert.Equal(0.405m, saving);
        Assert.Equal(saving, caching.EstimatedSavings30dUsd);
        Assert.Equal("gpt-4.1", caching.CurrentModel);
        Assert.Equal(100, caching.Requests);
        var observed = 300_000 * 2m / M + 5_000 * 8m / M; // 0.64
        Assert.Equal(observed, caching.ObservedCostUsd);
        Assert.Equal(observed - saving, caching.ProjectedCostUsd);

        // The reverse: 200,000 tokens written at a $0.25 premium each million, nothing read back: 0.05 wasted.
        var unread = Assert.Single(run.Recommendations, r => r.Kind == RecommendationKind.CacheWritesUnread);
        Assert.Equal("claude-haiku-4-5", unread.CurrentModel);
        Assert.Equal(200_000 * (1.25m - 1m) / M, unread.EstimatedSavings30dUsd);
    }

    [Fact]
    public async Task Non_interactive_traffic_yields_a_batch_recommendation_only_for_models_with_batch_prices()
    {
        await IngestAsync(new Traffic(IngestionFixture.Now)
            // gpt-4o-mini: $0.15 / $0.60, batch $0.075 / $0.30.
            .Add(100, "t-batch", "reports", "nightly", "openai", "gpt-4o-mini", 1_000, 200, interactive: false)
            // Interactive calls of the same model are not batch material.
            .Add(100, "t-batch", "reports", "nightly", "openai", "gpt-4o-mini", 1_000, 200, interactive: true)
            // gpt-5-chat-latest has no batch prices.
            .Add(100, "t-batch", "reports", "digest", "openai", "gpt-5-chat-latest", 1_000, 200, interactive: false));
        var run = await RecommendationTestHost.Create(fixture, azurite.Tables).RunAsync(30, "t-batch");

        var batch = Assert.Single(run.Recommendations, r => r.Kind == RecommendationKind.Batch);
        Assert.Equal("gpt-4o-mini", batch.CurrentModel);
        Assert.Equal("nightly", batch.Feature);
        Assert.Equal(100, batch.Requests);
        var observed = 100_000 * 0.15m / M + 20_000 * 0.60m / M; // 0.027
        var projected = 100_000 * 0.075m / M + 20_000 * 0.30m / M; // 0.0135
        Assert.Equal(observed, batch.ObservedCostUsd);
        Assert.Equal(projected, batch.ProjectedCostUsd);
        Assert.Equal(0.0135m, batch.EstimatedSavings30dUsd);
    }

    [Fact]
    public async Task A_budget_forecast_at_130_percent_gets_the_smallest_share_that_brings_it_under_the_limit()
    {
        // The same short gpt-4o mix as above, 200 calls at $0.00225 each, one an hour back from 11:59 on 28 November
        // over 48 hours: hours 0-7 back get 5 calls, hours 8-47 get 4. Its cheapest substitute, gpt-4.1-nano, saves
        // 0.432 of every 0.45 (96 %).
        await IngestAsync(new Traffic(IngestionFixture.Now).Add(200, "t-budget", "chat", "assistant", "openai", "gpt-4o", 500, 100, hoursSpread: 48));
        // By hand (docs/budgets.md): November so far 0.45; the last 24 h hold 104 calls (0.234), the 24 h before 96
        // (0.216); run-rate (7 × 0.234 + 6 × 0.216) / 28 = 0.104785714...; 2.5 days to 1 December:
        // forecast 0.45 + 2.5 × 0.104785714... = 0.711964286. A limit of 0.5477 puts it at 130 %.
        const decimal spend = 0.45m, forecast = 0.711964286m, limit = 0.5477m;
        await new TableBudgetStore(azurite.Tables).AddAsync(new Budget { Id = "b-130", Scope = new BudgetScope("t-budget", Project: "chat"), LimitUsd = limit });

        var run = await RecommendationTestHost.Create(fixture, azurite.Tables).RunAsync(30, "t-budget");
        var pressure = Assert.Single(run.Recommendations, r => r.Kind == RecommendationKind.BudgetPressure);
        Assert.Equal("gpt-4.1-nano", pressure.SuggestedModel);
        Assert.Equal("b-130", pressure.BudgetId);

        // Moving share s of the rest of the period saves s × 0.96 × (0.711964286 − 0.45): under 0.5477 needs
        // s > 0.6532, so 66 % (65 % leaves 0.5485).
        Assert.Equal(0.66m, pressure.TrafficShare);
        Assert.True(forecast - 0.66m * 0.96m * (forecast - spend) < limit);
        Assert.True(forecast - 0.65m * 0.96m * (forecast - spend) >= limit);
        Assert.Equal(0.45m - 0.66m * 0.432m, pressure.ProjectedCostUsd); // 0.16488
    }

    [Fact]
    public async Task Running_twice_on_the_same_data_gives_the_same_recommendations()
    {
        await IngestAsync(new Traffic(IngestionFixture.Now)
            .Add(150, "t-det", "chat", "assistant", "openai", "gpt-4o", 800, 120)
            .Add(120, "t-det", "chat", "search", "openai", "gpt-4.1", 4_000, 60, promptHash: i => $"p{i % 6}")
            .Add(80, "t-det", "batch", "nightly", "openai", "gpt-4o-mini", 2_000, 400, interactive: false)
            .Add(30, "t-det", "chat", "assistant", "acme-llm", "mystery-model-9", 700, 80));
        var service = RecommendationTestHost.Create(fixture, azurite.Tables);

        var first = await service.RunAsync(30, "t-det");
        var second = await service.RunAsync(30, "t-det");
        Assert.NotEqual(first.RunId, second.RunId);
        Assert.True(first.Recommendations.Count >= 4, $"expected several kinds, got {first.Recommendations.Count}");
        Assert.Equal(first.Recommendations, second.Recommendations);
        Assert.Contains(first.Recommendations, r => r.Kind == RecommendationKind.UnpricedTraffic && r.CurrentModel == "mystery-model-9");

        // And what was stored reads back the same, exact decimals included.
        var stored = await new Infrastructure.Recommendations.RecommendationRepository(fixture.ClickHouse, fixture.Catalog)
            .ReadRunAsync(second.RunId, second.RunAt, 30, "t-det", null);
        Assert.Equal(
            second.Recommendations.OrderBy(r => r.Id, StringComparer.Ordinal).Select(Normal),
            stored!.Recommendations.OrderBy(r => r.Id, StringComparer.Ordinal).Select(Normal));
    }

    // ClickHouse keeps Decimal(38, 18) with trailing zeros: compare values, not scales.
    private static string Normal(Recommendation r) => string.Join('|', r.Id, r.Kind, r.Tenant, r.Project, r.Feature, r.CurrentModel, r.SuggestedModel,
        r.Requests, T(r.ObservedCostUsd), T(r.ProjectedCostUsd), T(r.EstimatedSavings30dUsd), T(r.TrafficShare), T(r.Confidence), r.Rationale);

    private static string T(decimal value) => Infrastructure.Recommendations.RecommendationJson.Text(value);
}
