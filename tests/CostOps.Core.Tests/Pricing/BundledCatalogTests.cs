using CostOps.Core.Pricing;

namespace CostOps.Core.Tests.Pricing;

public sealed class BundledCatalogTests
{
    private static readonly CatalogDocument Document = BundledCatalog.Load();

    [Fact]
    public void Has_at_least_60_models_and_covers_every_provider()
    {
        Assert.True(Document.Models.Count >= 60, $"{Document.Models.Count} models");
        foreach (var provider in Providers.All)
        {
            Assert.Contains(Document.Models, m => m.Provider == provider);
        }
    }

    [Fact]
    public void Every_entry_has_a_source_an_effective_date_and_capabilities()
    {
        foreach (var model in Document.Models)
        {
            Assert.NotEmpty(model.Prices);
            Assert.All(model.Prices, p => Assert.StartsWith("https://", p.Source));
            Assert.All(model.Prices, p => Assert.True(p.EffectiveFrom.Year >= 2023));
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
