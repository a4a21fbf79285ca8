using CostOps.Core.Pricing;

namespace CostOps.Core.Tests.Pricing;

public sealed class BundledCatalogTests
{
    private static readonly CatalogDocument Document = BundledCatalog.Load();

    [Fact]
    public void Has_at_least_1500_models_and_covers_every_provider()
    {
        Assert.True(Document.Models.Count >= 1500, $"{Document.Models.Count} models");
        foreach (var provider in Providers.All)
        {
            Assert.Contains(Document.Models, m => m.Provider == provider);
        }
        foreach (var mode in new[] { "chat", "embedding", "image_generation", "audio_transcription", "audio_speech", "rerank" })
        {
            Assert.Contains(Document.Models, m => m.Capabilities.Mode == mode);
        }
    }

    [Fact]
    public void Every_version_says_where_it_comes_from()
    {
        foreach (var model in Document.Models)
        {
            Assert.NotEmpty(model.Prices);
            Assert.All(model.Prices, p => Assert.StartsWith("https://", p.Source));
            Assert.All(model.Prices, p => Assert.True(p.EffectiveFrom.Year >= 2023));
        }
        // Map versions name the snapshot they came from (date and hash), so each price can be traced.
        var snapshot = BundledCatalog.Snapshots[0];
        Assert.Contains(Document.Models, m => m.Prices.Any(p => p.Source == snapshot.Source));
        Assert.Contains(snapshot.Sha256[..12], snapshot.Source);
    }

    [Fact]
    public void The_shipped_snapshots_are_the_files_their_hashes_name()
    {
        foreach (var snapshot in BundledCatalog.Snapshots)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(BundledCatalog.ReadSnapshot(snapshot));
            Assert.Equal(snapshot.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        }
    }

    [Fact]
    public void Pinned_corrections_keep_their_hand_checked_price_over_the_map()
    {
        var catalog = Document.ToCatalog();
        var at = TestPrices.At(2026, 11, 15);
        // Cohere's page: command-r7b $0.0375 in, $0.15 out (the map swaps them).
        Assert.Equal(0.1875m, catalog.Price(null, "cohere", "command-r7b-12-2024", at, new UsageTokens(1_000_000, 1_000_000)).Total);
        // Azure AI Foundry's grok-4: $5.50 in (the map carries xAI's $3).
        Assert.Equal(5.5m, catalog.Price(null, "azure.ai.inference", "grok-4", at, new UsageTokens(1_000_000, 0)).Total);
        // Anthropic's page: Haiku 3 1-hour cache write $0.50 (the map says $6).
        Assert.Equal(0.5m, catalog.Price(null, "anthropic", "claude-3-haiku", at, new UsageTokens(1_000_000, 0, CacheWrite: 1_000_000, CacheWrite1h: 1_000_000)).Total);
        Assert.Equal(6, Document.Models.Count(m => m.Pinned));
    }

    [Fact]
    public void A_price_the_map_changed_applies_from_the_snapshot_date_and_history_keeps_the_old_one()
    {
        var catalog = Document.ToCatalog();
        var reads = new UsageTokens(100_000, 0, CachedInput: 100_000);
        // Gemini 2.5 Pro context caching (below the 200k tier): $0.3125 per 1M in the 2025 catalog, $0.125 in the 2026-02-24 map.
        Assert.Equal(0.03125m, catalog.Price(null, "gcp.gemini", "gemini-2.5-pro", TestPrices.At(2026, 2, 23), reads).Total);
        Assert.Equal(0.0125m, catalog.Price(null, "gcp.gemini", "gemini-2.5-pro", TestPrices.At(2026, 2, 24), reads).Total);
    }

    [Fact]
    public void Hand_checked_entries_have_capabilities_for_recommendations()
    {
        foreach (var model in BundledCatalog.LoadHandChecked().Models)
        {
            Assert.Contains(model.Capabilities.Class, new[] { "frontier", "mid", "small", "reasoning" });
            Assert.True(model.Capabilities.ContextWindow > 0, model.Model);
            Assert.True(model.Capabilities.MaxOutputTokens > 0, model.Model);
            Assert.Contains("text", model.Capabilities.Modalities);
        }
    }

    [Fact]
    public void Version_is_set_and_the_catalog_builds()
    {
        Assert.False(string.IsNullOrEmpty(Document.Version));
        var catalog = Document.ToCatalog();
        Assert.Equal(Document.Models.Count, catalog.Models.Count);
    }

    [Theory]
    [InlineData("openai", "gpt-4o-2024-08-06", "gpt-4o", "2.5", "10")]
    [InlineData("openai", "gpt-5-2025-08-07", "gpt-5", "1.25", "10")]
    [InlineData("openai", "gpt-4.1-mini-2025-04-14", "gpt-4.1-mini", "0.4", "1.6")]
    [InlineData("anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5", "3", "15")]
    [InlineData("anthropic", "claude-opus-4-5-20251101", "claude-opus-4-5", "5", "25")]
    [InlineData("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-geo", "3.3", "16.5")]
    [InlineData("aws.bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5", "3", "15")]
    [InlineData("aws.bedrock", "us.amazon.nova-pro-v1:0", "nova-pro", "0.8", "3.2")]
    [InlineData("gcp.gemini", "gemini-2.5-flash", "gemini-2.5-flash", "0.3", "2.5")]
    [InlineData("gcp.vertex_ai", "claude-sonnet-4-5@20250929", "claude-sonnet-4-5", "3", "15")]
    [InlineData("azure.ai.openai", "gpt-4o-2024-11-20", "gpt-4o", "2.5", "10")]
    [InlineData("azure.ai.inference", "DeepSeek-R1", "DeepSeek-R1", "1.35", "5.4")]
    [InlineData("mistral_ai", "mistral-medium-2505", "mistral-medium-3", "0.4", "2")]
    [InlineData("deepseek", "deepseek-chat", "deepseek-chat", "0.28", "0.42")]
    [InlineData("groq", "llama-3.3-70b-versatile", "llama-3.3-70b-versatile", "0.59", "0.79")]
    [InlineData("cohere", "command-a-03-2025", "command-a-03-2025", "2.5", "10")]
    [InlineData("x_ai", "grok-4-0709", "grok-4", "3", "15")]
    public void Known_models_resolve_to_their_published_prices(string provider, string model, string canonical, string input, string output)
    {
        var catalog = Document.ToCatalog();
        var result = catalog.Price(null, provider, model, TestPrices.At(2025, 12, 15), new UsageTokens(100_000, 100_000));

        Assert.Equal(PriceStatus.Priced, result.Status);
        Assert.Equal(canonical, result.CanonicalModel);
        // Prices as strings: test data in money is decimal too, never a binary floating-point literal.
        Assert.Equal((Usd(input) + Usd(output)) / 10, result.Total);
    }

    private static decimal Usd(string value) => decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Same_model_costs_differently_per_provider_where_vendors_say_so()
    {
        var catalog = Document.ToCatalog();
        var at = TestPrices.At(2025, 12, 15);
        var usage = new UsageTokens(1_000_000, 0);

        var grokDirect = catalog.Price(null, "x_ai", "grok-4", at, usage).Total;
        var grokAzure = catalog.Price(null, "azure.ai.inference", "grok-4", at, usage).Total;
        var bedrockGlobal = catalog.Price(null, "aws.bedrock", "global.anthropic.claude-haiku-4-5-20251001-v1:0", at, usage).Total;
        var bedrockUs = catalog.Price(null, "aws.bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0", at, usage).Total;

        Assert.NotEqual(grokDirect, grokAzure);
        Assert.NotEqual(bedrockGlobal, bedrockUs);
    }

    [Fact]
    public void Serialized_catalog_parses_back_to_the_same_entries()
    {
        var text = PriceCatalogJson.Serialize(Document);
        var again = PriceCatalogJson.Parse(text);

        Assert.Equal(Document.Version, again.Version);
        Assert.Equal(Document.Models.Count, again.Models.Count);
        for (var i = 0; i < Document.Models.Count; i++)
        {
            Assert.Equal(Document.Models[i].Model, again.Models[i].Model);
            Assert.Equal(Document.Models[i].Prices.OrderBy(p => p.EffectiveFrom), again.Models[i].Prices);
        }
    }

    [Fact]
    public void Invalid_catalog_is_refused_with_the_reason()
    {
        var e = Assert.Throws<FormatException>(() => PriceCatalogJson.Parse("""
            { "catalog_version": "x", "models": [ { "provider": "nope", "model": "m", "prices": [ { "effective_from": "2025-01-01", "input": 1, "output": 1 } ] } ] }
            """));

        Assert.Contains("unknown provider", e.Message);
    }
}
