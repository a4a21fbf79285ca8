using CostOps.Core.Pricing;

namespace CostOps.Core.Tests.Pricing;

/// <summary>Model strings as real producers send them, against the bundled catalog.</summary>
public sealed class BundledResolutionTests
{
    private static readonly PriceCatalog Catalog = BundledCatalog.Load().ToCatalog();

    [Theory]
    [InlineData("gcp.gemini", "models/gemini-2.5-pro", ProviderId.GcpGemini, "gemini-2.5-pro")]
    [InlineData(null, "gemini/gemini-2.5-flash", ProviderId.GcpGemini, "gemini-2.5-flash")]
    [InlineData("gemini", "gemini-2.5-flash-preview-09-2025", ProviderId.GcpGemini, "gemini-2.5-flash")]
    [InlineData(null, "projects/p/locations/us-east5/publishers/anthropic/models/claude-opus-4-5@20251101", ProviderId.GcpVertexAI, "claude-opus-4-5")]
    [InlineData(null, "vertex_ai/gemini-2.5-pro", ProviderId.GcpVertexAI, "gemini-2.5-pro")]
    [InlineData(null, "claude-haiku-4-5@20251001", ProviderId.GcpVertexAI, "claude-haiku-4-5")]
    [InlineData(null, "eu.anthropic.claude-haiku-4-5-20251001-v1:0", ProviderId.AwsBedrock, "claude-haiku-4-5-geo")]
    [InlineData("bedrock", "us.meta.llama4-maverick-17b-instruct-v1:0", ProviderId.AwsBedrock, "llama4-maverick-17b-instruct")]
    [InlineData("aws.bedrock", "bedrock/us.amazon.nova-lite-v1:0", ProviderId.AwsBedrock, "nova-lite")]
    [InlineData(null, "azure/gpt-4.1-mini-2025-04-14", ProviderId.AzureOpenAI, "gpt-4.1-mini")]
    [InlineData("azure_ai", "DeepSeek-V3.2", ProviderId.AzureAIInference, "DeepSeek-V3.2")]
    [InlineData("groq", "openai/gpt-oss-120b", ProviderId.Groq, "openai/gpt-oss-120b")]
    [InlineData(null, "claude-3-5-haiku-latest", ProviderId.Anthropic, "claude-3-5-haiku")]
    [InlineData(null, "o3-mini-2025-01-31", ProviderId.OpenAI, "o3-mini")]
    [InlineData(null, "gpt-4-0613", ProviderId.OpenAI, "gpt-4")]
    [InlineData("mistral", "mistral-large-latest", ProviderId.MistralAI, "mistral-large-3")]
    [InlineData("xai", "grok-4-1-fast", ProviderId.XAI, "grok-4-1-fast-reasoning")]
    [InlineData("cohere", "command-r-plus", ProviderId.Cohere, "command-r-plus-08-2024")]
    [InlineData("deepseek", "deepseek-reasoner", ProviderId.DeepSeek, "deepseek-reasoner")]
    public void Resolves_real_world_model_strings(string? provider, string model, ProviderId expectedProvider, string canonical)
    {
        var resolution = Catalog.Resolve(null, provider, model);

        Assert.True(resolution.Found, $"{provider} {model}");
        Assert.Equal(expectedProvider, resolution.Provider);
        Assert.Equal(canonical, resolution.Model!.Model);
    }

    [Fact]
    public void Concurrent_pricing_gives_the_same_answers_as_sequential()
    {
        string[] models = ["gpt-4o-2024-08-06", "claude-sonnet-4-5-20250929", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "gemini-2.5-flash", "nope"];
        var at = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var catalog = BundledCatalog.Load().ToCatalog();
        var expected = models.Select(m => BundledCatalog.Load().ToCatalog().Price("t", null, m, at, new UsageTokens(250_000, 1_000, 10_000)).Total).ToArray();

        Parallel.For(0, 20_000, i =>
        {
            var k = i % models.Length;
            var result = catalog.Price($"t", null, new string(models[k].AsSpan()), at, new UsageTokens(250_000, 1_000, 10_000));
            Assert.Equal(expected[k], result.Total);
        });
        Assert.Equal(models.Length, catalog.CachedResolutions);
    }

    [Fact]
    public void Every_catalog_id_resolves_to_its_own_entry()
    {
        foreach (var model in Catalog.Models)
        {
            foreach (var id in model.Ids.Append(model.Model))
            {
                var resolution = Catalog.Resolve(null, model.Provider.OtelName(), id);
                Assert.True(resolution.Model == model, $"{model.Provider.OtelName()} {id} resolved to {resolution.Model?.Model}");
            }
        }
    }
}
