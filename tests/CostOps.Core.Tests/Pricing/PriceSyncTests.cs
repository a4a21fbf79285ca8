using CostOps.Core.Pricing;
using CostOps.Core.Pricing.CommunityMap;

namespace CostOps.Core.Tests.Pricing;

public sealed class PriceSyncTests
{
    private const string Source = "https://example.test/map.json";
    private static readonly DateOnly Effective = new(2026, 6, 1);

    // A map in LiteLLM's format: per-token prices, so 0.000002 is $2 per 1M tokens.
    private const string Map = """
        {
          "sample_spec": { "input_cost_per_token": 0.0, "litellm_provider": "one of ..." },
          "gpt-test": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06 },
          "gpt-same": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06 },
          "azure/gpt-new": { "litellm_provider": "azure", "mode": "chat", "input_cost_per_token": 5e-07, "output_cost_per_token": 1.5e-06, "max_input_tokens": 128000 },
          "pinned-model": { "litellm_provider": "cohere", "mode": "chat", "input_cost_per_token": 0.00015, "output_cost_per_token": 3.75e-08 },
          "mystery": { "litellm_provider": "nobody_we_know", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06 },
          "free-text": { "litellm_provider": "openai", "mode": "chat" }
        }
        """;

    private static IReadOnlyList<CatalogModel> Table() =>
    [
        Model(ProviderId.OpenAI, "gpt-test", Price(new DateOnly(2025, 1, 1), 3m, 12m, batchInput: 1.5m)),
        Model(ProviderId.OpenAI, "gpt-same", Price(new DateOnly(2025, 1, 1), 1m, 2m)),
        Model(ProviderId.Cohere, "pinned-model", Price(new DateOnly(2025, 1, 1), 0.0375m, 0.15m)) with { Pinned = true },
        Model(ProviderId.OpenAI, "gpt-retired", Price(new DateOnly(2025, 1, 1), 1m, 1m, source: Source)),
    ];

    [Fact]
    public void The_reader_converts_per_token_prices_exactly_and_lists_what_it_skips()
    {
        var read = LiteLlmPriceMap.Parse(Map, Effective, Source);

        var azure = Assert.Single(read.Models, m => m.Provider == ProviderId.AzureOpenAI);
        Assert.Equal("gpt-new", azure.Model);
        Assert.Equal(0.5m, azure.Prices[0].Input);
        Assert.Equal(1.5m, azure.Prices[0].Output);
        Assert.Equal(128000, azure.Capabilities.ContextWindow);
        Assert.Equal(Effective, azure.Prices[0].EffectiveFrom);
        Assert.Equal(Source, azure.Prices[0].Source);
        Assert.Contains(read.Skipped, s => s.StartsWith("mystery: unknown litellm_provider", StringComparison.Ordinal));
        Assert.Contains(read.Skipped, s => s == "free-text: no price");
        Assert.DoesNotContain(read.Models, m => m.Model == "sample_spec");
    }

    [Fact]
    public void Bad_input_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => LiteLlmPriceMap.Parse("[1, 2]", Effective, Source));
        Assert.Throws<FormatException>(() => LiteLlmPriceMap.Parse("{ not json", Effective, Source));
        Assert.Throws<FormatException>(() => LiteLlmPriceMap.Parse("""{"m": {"litellm_provider": "openai", "input_cost_per_token": "cheap"}}""", Effective, Source));
    }

    [Fact]
    public void The_plan_lists_added_changed_gone_and_pinned_with_old_and_new_per_field()
    {
        var plan = PriceSync.Plan(Table(), LiteLlmPriceMap.Parse(Map, Effective, Source).Models, Effective, Source);

        Assert.Equal("gpt-new", Assert.Single(plan.Added).Model);
        var change = Assert.Single(plan.Changed);
        Assert.Equal("gpt-test", change.Model.Model);
        Assert.Equal([new FieldChange("input", 3m, 2m), new FieldChange("output", 12m, 8m)], change.Fields);
        // The map has no batch price: unknown to it, not withdrawn, so ours stays.
        Assert.Equal(1.5m, change.New.BatchInput);
        Assert.Equal("gpt-retired", Assert.Single(plan.Gone).Model);
        Assert.Equal("pinned-model", Assert.Single(plan.Pinned).Model.Model);
        Assert.Equal(1, plan.Unchanged);
    }

    [Fact]
    public void Applying_adds_a_dated_version_so_earlier_traffic_keeps_its_price_and_a_rerun_changes_nothing()
    {
        var map = LiteLlmPriceMap.Parse(Map, Effective, Source).Models;
        var applied = PriceSync.Apply(Table(), PriceSync.Plan(Table(), map, Effective, Source));
        var catalog = new PriceCatalog(applied);
        var usage = new UsageTokens(1_000_000, 1_000_000);

        Assert.Equal(15m, catalog.Price(null, "openai", "gpt-test", new DateTimeOffset(2026, 5, 31, 23, 59, 59, TimeSpan.Zero), usage).Total);
        Assert.Equal(10m, catalog.Price(null, "openai", "gpt-test", new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), usage).Total);
        Assert.Equal(2m, catalog.Price(null, "azure", "gpt-new", new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero), usage).Total);
        // Pinned and gone entries are untouched.
        Assert.Equal(0.1875m, catalog.Price(null, "cohere", "pinned-model", new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero), usage).Total);
        Assert.Contains(applied, m => m.Model == "gpt-retired");

        var rerun = PriceSync.Plan(applied, map, Effective, Source);
        Assert.True(rerun.IsEmpty);
        Assert.Empty(rerun.Changed);
        Assert.Empty(rerun.Added);
        Assert.Equal(applied.Count, PriceSync.Apply(applied, rerun).Count);
    }

    private static CatalogModel Model(ProviderId provider, string name, ModelPrice price) =>
        new() { Provider = provider, Model = name, Prices = [price] };

    private static ModelPrice Price(DateOnly from, decimal input, decimal output, decimal? batchInput = null, string source = "https://vendor.test/pricing") =>
        new() { EffectiveFrom = from, Source = source, Input = input, Output = output, BatchInput = batchInput };
}
