using System.Globalization;
using CostOps.Core.Pricing;

namespace CostOps.Core.Tests.Pricing;

/// <summary>
/// Golden costs from the community map's own JSON: every expected value was computed by hand (decimal arithmetic on
/// the per-token figures as they stand in the shipped snapshot files, e.g. gpt-5.5 input 0.000005, above 272k
/// 0.00001), not by the code under test. Priced through the whole bundled catalog (resolution, merge, tiers).
/// </summary>
public sealed class CommunityMapGoldenTests
{
    private static readonly PriceCatalog Catalog = BundledCatalog.Load().ToCatalog();

    [Theory]
[InlineData("gpt-5.5 base", "openai", "gpt-5.5", 12000, 800, 4000, 0, 0, false, "", 0, "0", 0, 0, "0.0660000")]
[InlineData("gpt-5.5 above 272k", "openai", "gpt-5.5", 300000, 10000, 100000, 0, 0, false, "", 0, "0", 0, 0, "2.550000")]
[InlineData("gpt-5.5 at 272k exactly", "openai", "gpt-5.5", 272000, 1000, 0, 0, 0, false, "", 0, "0", 0, 0, "1.390000")]
[InlineData("gpt-5.5 priority", "openai", "gpt-5.5", 20000, 2000, 5000, 0, 0, false, "priority", 0, "0", 0, 0, "0.275000")]
[InlineData("gpt-5.5 flex", "openai", "gpt-5.5", 20000, 2000, 5000, 0, 0, false, "flex", 0, "0", 0, 0, "0.06875000")]
[InlineData("gpt-5.5 batch", "openai", "gpt-5.5", 50000, 5000, 0, 0, 0, true, "", 0, "0", 0, 0, "0.2000000")]
[InlineData("gpt-5.4 batch", "openai", "gpt-5.4-2026-03-05", 40000, 3000, 0, 0, 0, true, "", 0, "0", 0, 0, "0.07250000")]
[InlineData("claude-opus-4-7 cache 5m and 1h", "anthropic", "claude-opus-4-7", 10000, 500, 2000, 3000, 1000, false, "", 0, "0", 0, 0, "0.06100000")]
[InlineData("claude-opus-4-7 web search", "anthropic", "claude-opus-4-7", 5000, 400, 0, 0, 0, false, "", 0, "0", 0, 3, "0.065000")]
[InlineData("claude-sonnet-5 1h writes", "anthropic", "claude-sonnet-5", 8000, 600, 1000, 4000, 4000, false, "", 0, "0", 0, 0, "0.0282000")]
[InlineData("gemini-2.5-pro above 200k", "gcp.gemini", "gemini-2.5-pro", 250000, 2000, 50000, 0, 0, false, "", 0, "0", 0, 0, "0.54250000")]
[InlineData("gemini-3.1-pro above 200k", "gcp.gemini", "gemini-3.1-pro-preview", 220000, 3000, 20000, 0, 0, false, "", 0, "0", 0, 0, "0.8620000")]
[InlineData("gemini-3.1-pro batch", "gcp.gemini", "gemini-3.1-pro-preview", 10000, 1000, 0, 0, 0, true, "", 0, "0", 0, 0, "0.016000")]
[InlineData("gemini-3.5-flash vertex priority", "gcp.vertex_ai", "gemini-3.5-flash", 10000, 1000, 2000, 0, 0, false, "priority", 0, "0", 0, 0, "0.03834000")]
[InlineData("grok-4.5", "x_ai", "grok-4.5", 30000, 2000, 10000, 0, 0, false, "", 0, "0", 0, 0, "0.0570000")]
[InlineData("grok-4.3", "x_ai", "grok-4.3", 30000, 2000, 10000, 0, 0, false, "", 0, "0", 0, 0, "0.03200000")]
[InlineData("deepseek-v4-pro cache hit", "deepseek", "deepseek-v4-pro", 100000, 4000, 60000, 0, 0, false, "", 0, "0", 0, 0, "0.021097500000")]
[InlineData("mistral-large-3", "mistral_ai", "mistral-large-3", 20000, 1500, 0, 0, 0, false, "", 0, "0", 0, 0, "0.0122500")]
[InlineData("azure gpt-5.1", "azure.ai.openai", "gpt-5.1", 15000, 900, 5000, 0, 0, false, "", 0, "0", 0, 0, "0.022125000")]
[InlineData("fireworks deepseek-v3p1", "fireworks_ai", "accounts/fireworks/models/deepseek-v3p1", 7000, 700, 0, 0, 0, false, "", 0, "0", 0, 0, "0.00509600")]
[InlineData("text-embedding-3-small", "openai", "text-embedding-3-small", 123456, 0, 0, 0, 0, false, "", 0, "0", 0, 0, "0.00246912")]
[InlineData("whisper-1 seconds", "openai", "whisper-1", 0, 0, 0, 0, 0, false, "", 0, "93.5", 0, 0, "0.00935")]
[InlineData("tts-1 characters", "openai", "tts-1", 0, 0, 0, 0, 0, false, "", 0, "0", 4321, 0, "0.064815")]
[InlineData("imagen-4 images", "gcp.vertex_ai", "imagen-4.0-generate-001", 0, 0, 0, 0, 0, false, "", 3, "0", 0, 0, "0.12")]
[InlineData("rerank-v3.5 queries", "cohere", "rerank-v3.5", 0, 0, 0, 0, 0, false, "", 0, "0", 0, 7, "0.014")]
[InlineData("perplexity sonar-medium-online request fee", "perplexity", "sonar-medium-online", 1000, 200, 0, 0, 0, false, "", 0, "0", 0, 0, "0.0053600")]
    public void Prices_match_the_maps_own_figures(
        string name, string provider, string model, long input, long output, long cached, long writes, long writes1h, bool batch,
        string serviceTier, long images, string seconds, long characters, long searches, string expected)
    {
        var usage = new UsageTokens(input, output, cached, writes, writes1h, Batch: batch,
            Units: new UsageUnits(images, decimal.Parse(seconds, CultureInfo.InvariantCulture), characters, searches),
            ServiceTier: serviceTier switch { "priority" => ServiceTier.Priority, "flex" => ServiceTier.Flex, _ => ServiceTier.Standard });

        var result = Catalog.Price(null, provider, model, TestPrices.At(2026, 11, 15), usage);

        Assert.True(result.Status == PriceStatus.Priced, $"{name}: {result.Status}");
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), result.Total);
        Assert.Equal(result.Total, result.Components.Input + result.Components.CacheRead + result.Components.CacheWrite
            + result.Components.Output + result.Components.RequestFee + result.Components.Units);
    }

    [Fact]
    public void A_unit_without_a_price_is_flagged_not_silently_free()
    {
        var result = Catalog.Price(null, "openai", "gpt-5.5", TestPrices.At(2026, 11, 15), new UsageTokens(1000, 100, Units: new UsageUnits(Images: 2)));

        Assert.True(result.Flags.HasFlag(PricingFlags.UnpricedUnits));
        Assert.Equal(0m, result.Components.Units);
    }
}
