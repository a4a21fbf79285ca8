using CostOps.Core.Pricing;

namespace CostOps.Core.Tests.Pricing;

public sealed class PriceCatalogTests
{
    // 100,000 input tokens: below every tier threshold, and the cost is a tenth of the input price.
    private static readonly UsageTokens Million = new(100_000, 0);

    private static PriceCatalog Catalog(IEnumerable<PriceOverride>? overrides = null, IEnumerable<ModelAlias>? aliases = null) => new(
        [
            TestPrices.Model(ProviderId.OpenAI, "gpt-4o", TestPrices.Simple() with { Input = 2.5m, Output = 10m }),
            TestPrices.Model(ProviderId.OpenAI, "gpt-4o-2024-05-13", TestPrices.Simple() with { Input = 5m, Output = 15m }),
            TestPrices.Model(ProviderId.AzureOpenAI, "gpt-4o", TestPrices.Simple() with { Input = 2.75m, Output = 11m }),
            TestPrices.Model(ProviderId.Anthropic, "claude-sonnet-4-5", ["claude-sonnet-4-5-20250929"], TestPrices.Tiered()),
            TestPrices.Model(ProviderId.AwsBedrock, "claude-sonnet-4-5", ["global.anthropic.claude-sonnet-4-5-20250929-v1:0"], TestPrices.Tiered()),
            TestPrices.Model(ProviderId.AwsBedrock, "claude-sonnet-4-5-geo", ["us.anthropic.claude-sonnet-4-5-20250929-v1:0"], TestPrices.Tiered() with { Input = 3.3m }),
            TestPrices.Model(ProviderId.GcpVertexAI, "claude-sonnet-4-5", TestPrices.Tiered()),
            TestPrices.Model(ProviderId.DeepSeek, "deepseek-chat",
                TestPrices.Simple(new DateOnly(2025, 9, 5)) with { Input = 0.56m },
                TestPrices.Simple(new DateOnly(2025, 9, 29)) with { Input = 0.28m }),
        ],
        overrides, aliases, "test-1");

    private static PricedCost Price(PriceCatalog catalog, string? provider, string model, DateTimeOffset? at = null, string? tenant = null, UsageTokens? usage = null) =>
        catalog.Price(tenant, provider, model, at ?? TestPrices.At(2025, 10, 1), usage ?? Million);

    [Theory]
    [InlineData("openai", "gpt-4o", "2.5")]
    [InlineData("openai", "GPT-4o", "2.5")]
    [InlineData("openai", "gpt-4o-2024-08-06", "2.5")]
    [InlineData("openai", "gpt-4o-2024-05-13", "5")]
    [InlineData("openai", "openai/gpt-4o", "2.5")]
    [InlineData("azure.ai.openai", "gpt-4o-2024-11-20", "2.75")]
    [InlineData("azure", "azure/gpt-4o", "2.75")]
    [InlineData(null, "gpt-4o", "2.5")]
    [InlineData("anthropic", "claude-sonnet-4-5-20250929", "3")]
    [InlineData("anthropic", "claude-sonnet-4-5-latest", "3")]
    [InlineData("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "3.3")]
    [InlineData("bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "3")]
    [InlineData("aws.bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0", "3")]
    [InlineData(null, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "3.3")]
    [InlineData("gcp.vertex_ai", "claude-sonnet-4-5@20250929", "3")]
    [InlineData("vertex_ai", "publishers/anthropic/models/claude-sonnet-4-5@20250929", "3")]
    public void Resolves_exact_dated_and_provider_specific_ids(string? provider, string model, string expectedInputPerMillion)
    {
        var result = Price(Catalog(), provider, model);

        Assert.Equal(PriceStatus.Priced, result.Status);
        Assert.Equal(decimal.Parse(expectedInputPerMillion, System.Globalization.CultureInfo.InvariantCulture), result.Total * 10);
    }

    [Fact]
    public void Reports_the_canonical_model_provider_and_price_version()
    {
        var result = Price(Catalog(), "bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0");

        Assert.Equal(ProviderId.AwsBedrock, result.Provider);
        Assert.Equal("claude-sonnet-4-5-geo", result.CanonicalModel);
        Assert.Equal("aws.bedrock/claude-sonnet-4-5-geo@2025-01-01", result.PriceVersion);
        Assert.Null(result.OverrideVersion);
    }

    [Theory]
    [InlineData("openai", "gpt-17-ultra")]
    [InlineData("groq", "gpt-4o")]
    [InlineData("anthropic", "")]
    [InlineData(null, "my-private-model")]
    public void Unknown_model_is_never_a_silent_zero(string? provider, string model)
    {
        var result = Price(Catalog(), provider, model);

        Assert.Equal(PriceStatus.UnknownModel, result.Status);
        Assert.Equal("unknown_model", result.Status.ToWireName());
        Assert.False(result.IsPriced);
        Assert.Null(result.PriceVersion);
        Assert.Equal(0m, result.Total);
    }

    [Fact]
    public void Event_is_priced_with_the_version_in_force_at_its_timestamp()
    {
        var catalog = Catalog();

        var before = Price(catalog, "deepseek", "deepseek-chat", new DateTimeOffset(2025, 9, 28, 23, 59, 59, TimeSpan.Zero));
        var atChange = Price(catalog, "deepseek", "deepseek-chat", new DateTimeOffset(2025, 9, 29, 0, 0, 0, TimeSpan.Zero));
        var earlier = Price(catalog, "deepseek", "deepseek-chat", TestPrices.At(2024, 1, 1));

        Assert.Equal(0.056m, before.Total);
        Assert.Equal("deepseek/deepseek-chat@2025-09-05", before.PriceVersion);
        Assert.Equal(0.028m, atChange.Total);
        Assert.Equal("deepseek/deepseek-chat@2025-09-29", atChange.PriceVersion);
        // Before the first version (clock skew): the first version, not unknown.
        Assert.Equal(0.056m, earlier.Total);
    }

    [Fact]
    public void Timestamps_in_other_offsets_are_compared_in_utc()
    {
        // 2025-09-29 01:00 +02:00 is 2025-09-28 23:00 UTC: still the old price.
        var result = Price(Catalog(), "deepseek", "deepseek-chat", new DateTimeOffset(2025, 9, 29, 1, 0, 0, TimeSpan.FromHours(2)));

        Assert.Equal(0.056m, result.Total);
    }

    [Fact]
    public void Percentage_override_discounts_the_catalog_price_for_that_tenant_only()
    {
        var catalog = Catalog(overrides:
        [
            new PriceOverride { Tenant = "acme", Provider = ProviderId.OpenAI, Model = "gpt-4o", EffectiveFrom = new DateOnly(2025, 6, 1), DiscountPercent = 20m },
        ]);

        var acme = Price(catalog, "openai", "gpt-4o-2024-08-06", tenant: "acme");
        var other = Price(catalog, "openai", "gpt-4o", tenant: "globex");
        var acmeBefore = Price(catalog, "openai", "gpt-4o", TestPrices.At(2025, 5, 31), tenant: "acme");

        Assert.Equal(0.2m, acme.Total);
        Assert.Equal("override:acme/openai/gpt-4o@2025-06-01", acme.OverrideVersion);
        Assert.Equal("openai/gpt-4o@2025-01-01", acme.PriceVersion);
        Assert.True(acme.Flags.HasFlag(PricingFlags.Override));
        Assert.Equal(0.25m, other.Total);
        Assert.Equal(0.25m, acmeBefore.Total);
        Assert.Null(acmeBefore.OverrideVersion);
    }

    [Fact]
    public void An_ended_later_override_does_not_hide_an_earlier_one_still_in_force()
    {
        // A contract (20 % off, 2025 to 2030) with a promotion inside it (50 % off, June 2025 only).
        var catalog = Catalog(overrides:
        [
            new PriceOverride { Tenant = "acme", Provider = ProviderId.OpenAI, Model = "gpt-4o", EffectiveFrom = new DateOnly(2025, 1, 1), EffectiveTo = new DateOnly(2030, 1, 1), DiscountPercent = 20m },
            new PriceOverride { Tenant = "acme", Provider = ProviderId.OpenAI, Model = "gpt-4o", EffectiveFrom = new DateOnly(2025, 6, 1), EffectiveTo = new DateOnly(2025, 7, 1), DiscountPercent = 50m },
        ]);

        // List price $2.50 per 1M input: 100,000 tokens cost 0.25, 0.2 at 20 % off, 0.125 at 50 % off.
        var contract = Price(catalog, "openai", "gpt-4o", TestPrices.At(2025, 5, 31), tenant: "acme");
        var promotion = Price(catalog, "openai", "gpt-4o", TestPrices.At(2025, 6, 30), tenant: "acme");
        var after = Price(catalog, "openai", "gpt-4o", TestPrices.At(2025, 7, 1), tenant: "acme");
        var ended = Price(catalog, "openai", "gpt-4o", TestPrices.At(2030, 1, 1), tenant: "acme");

        Assert.Equal((0.2m, "override:acme/openai/gpt-4o@2025-01-01"), (contract.Total, contract.OverrideVersion));
        Assert.Equal((0.125m, "override:acme/openai/gpt-4o@2025-06-01"), (promotion.Total, promotion.OverrideVersion));
        Assert.Equal((0.2m, "override:acme/openai/gpt-4o@2025-01-01"), (after.Total, after.OverrideVersion));
        Assert.Equal((0.25m, null), (ended.Total, ended.OverrideVersion));
    }

    [Fact]
    public void Explicit_override_replaces_the_catalog_price_within_its_dates()
    {
        var catalog = Catalog(overrides:
        [
            new PriceOverride
            {
                Tenant = "acme", Provider = ProviderId.AzureOpenAI, Model = "gpt-4o",
                EffectiveFrom = new DateOnly(2025, 6, 1), EffectiveTo = new DateOnly(2025, 12, 1),
                Prices = new ModelPrice { EffectiveFrom = new DateOnly(2025, 6, 1), Input = 1m, Output = 4m, Source = "contract" },
            },
        ]);

        var inside = Price(catalog, "azure.ai.openai", "gpt-4o", TestPrices.At(2025, 7, 1), "acme", new UsageTokens(1_000_000, 1_000_000));
        var after = Price(catalog, "azure.ai.openai", "gpt-4o", TestPrices.At(2025, 12, 1), "acme", new UsageTokens(1_000_000, 1_000_000));
        var otherProvider = Price(catalog, "openai", "gpt-4o", TestPrices.At(2025, 7, 1), "acme", new UsageTokens(1_000_000, 1_000_000));

        Assert.Equal(5m, inside.Total);
        Assert.Equal(2.75m + 11m, after.Total);
        Assert.Equal(12.5m, otherProvider.Total);
    }

    [Fact]
    public void Explicit_override_prices_a_tenant_private_model_only_within_its_dates()
    {
        var catalog = Catalog(overrides:
        [
            new PriceOverride
            {
                Tenant = "acme", Provider = ProviderId.OpenAI, Model = "ft:gpt-4o-mini:acme::abc123",
                EffectiveFrom = new DateOnly(2025, 6, 1), EffectiveTo = new DateOnly(2026, 1, 1),
                Prices = new ModelPrice { EffectiveFrom = new DateOnly(2025, 6, 1), Input = 0.3m, Output = 1.2m, Source = "fine-tune" },
            },
        ]);

        var inside = Price(catalog, "openai", "ft:gpt-4o-mini:acme::abc123", tenant: "acme");
        var noProvider = Price(catalog, null, "ft:gpt-4o-mini:acme::abc123", tenant: "acme");
        var after = Price(catalog, "openai", "ft:gpt-4o-mini:acme::abc123", TestPrices.At(2026, 1, 2), tenant: "acme");
        var otherTenant = Price(catalog, "openai", "ft:gpt-4o-mini:acme::abc123", tenant: "globex");

        Assert.Equal(0.03m, inside.Total);
        Assert.Equal("override:acme/openai/ft:gpt-4o-mini:acme::abc123@2025-06-01", inside.OverrideVersion);
        Assert.Equal(0.03m, noProvider.Total);
        Assert.Equal(PriceStatus.UnknownModel, after.Status);
        Assert.Equal(PriceStatus.UnknownModel, otherTenant.Status);
    }

    [Fact]
    public void Tenant_alias_maps_a_deployment_name_to_a_model()
    {
        var catalog = Catalog(aliases:
        [
            new ModelAlias("acme", "chat-prod", "gpt-4o-2024-11-20", ProviderId.AzureOpenAI),
            new ModelAlias("acme", "cheap", "gpt-4o"),
        ]);

        var deployment = Price(catalog, null, "chat-prod", tenant: "acme");
        var keepsProvider = Price(catalog, "openai", "cheap", tenant: "acme");
        var otherTenant = Price(catalog, null, "chat-prod", tenant: "globex");

        Assert.Equal(ProviderId.AzureOpenAI, deployment.Provider);
        Assert.Equal("gpt-4o", deployment.CanonicalModel);
        Assert.Equal(0.275m, deployment.Total);
        Assert.Equal(0.25m, keepsProvider.Total);
        Assert.Equal(PriceStatus.UnknownModel, otherTenant.Status);
    }

    [Fact]
    public void Estimated_token_counts_are_marked()
    {
        var result = Price(Catalog(), "openai", "gpt-4o", usage: new UsageTokens(100_000, 0, Estimated: true));

        Assert.Equal(PriceStatus.EstimatedTokens, result.Status);
        Assert.Equal("estimated_tokens", result.Status.ToWireName());
        Assert.Equal(0.25m, result.Total);
    }

    [Fact]
    public void A_model_string_is_resolved_once_and_then_served_from_the_cache()
    {
        var catalog = Catalog();
        for (var i = 0; i < 10; i++) Price(catalog, "openai", "gpt-4o-2024-08-06");
        Price(catalog, "openai", "gpt-4o");

        Assert.Equal(2, catalog.CachedResolutions);
    }

    [Fact]
    public void Pricing_a_cached_model_does_not_allocate()
    {
        var catalog = Catalog(overrides:
        [
            new PriceOverride { Tenant = "acme", Provider = ProviderId.OpenAI, Model = "gpt-4o", EffectiveFrom = TestPrices.Jan1, DiscountPercent = 10m },
        ]);
        var at = TestPrices.At(2025, 10, 1);
        var usage = new UsageTokens(12_345, 678, CachedInput: 1_000, Batch: true);
        // Warm-up: resolution, then enough calls for the JIT's tiering to settle (its work is not the code's).
        for (var i = 0; i < 5_000; i++)
        {
            catalog.Price("acme", "openai", "gpt-4o-2024-08-06", at, usage);
            catalog.Price(null, "bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", at, usage);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        decimal sum = 0;
        for (var i = 0; i < 1000; i++)
        {
            sum += catalog.Price("acme", "openai", "gpt-4o-2024-08-06", at, usage).Total;
            sum += catalog.Price(null, "bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", at, usage).Total;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(sum > 0);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Duplicate_entries_are_rejected()
    {
        var model = TestPrices.Model(ProviderId.OpenAI, "gpt-4o", TestPrices.Simple());

        Assert.Throws<ArgumentException>(() => new PriceCatalog([model, model]));
    }

    [Theory]
    [InlineData("azure", ProviderId.AzureOpenAI, "azure.ai.openai")]
    [InlineData("bedrock", ProviderId.AwsBedrock, "aws.bedrock")]
    [InlineData("gemini", ProviderId.GcpGemini, "gcp.gemini")]
    [InlineData("vertex_ai", ProviderId.GcpVertexAI, "gcp.vertex_ai")]
    [InlineData("xai", ProviderId.XAI, "x_ai")]
    [InlineData("mistral", ProviderId.MistralAI, "mistral_ai")]
    [InlineData("azure.ai.inference", ProviderId.AzureAIInference, "azure.ai.inference")]
    [InlineData("OpenAI", ProviderId.OpenAI, "openai")]
    public void Provider_aliases_map_to_the_opentelemetry_name(string name, ProviderId expected, string otel)
    {
        Assert.Equal(expected, Providers.Parse(name));
        Assert.Equal(otel, expected.OtelName());
    }
}
