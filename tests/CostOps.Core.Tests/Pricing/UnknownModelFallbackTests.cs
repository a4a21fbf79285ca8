using CostOps.Core.Pricing;

namespace CostOps.Core.Tests.Pricing;

public sealed class UnknownModelFallbackTests
{
    private static readonly DateTimeOffset At = TestPrices.At(2026, 3, 1);

    private static PriceCatalog Catalog(UnknownModelFallback? fallback) => new(
    [
        new CatalogModel { Provider = ProviderId.OpenAI, Model = "cheap", Prices = [TestPrices.Simple()] },
        new CatalogModel { Provider = ProviderId.OpenAI, Model = "dear", Prices = [TestPrices.Simple() with { Input = 10m, Output = 40m }] },
        // Not a chat model: an image model's prices never stand in for chat traffic.
        new CatalogModel
        {
            Provider = ProviderId.OpenAI, Model = "images", Capabilities = new ModelCapabilities { Mode = "image_generation" },
            Prices = [TestPrices.Simple() with { Input = 100m, Output = 100m }],
        },
    ], fallback: fallback);

    [Fact]
    public void An_unknown_model_of_a_known_provider_is_estimated_at_its_priciest_chat_model()
    {
        var result = Catalog(UnknownModelFallback.Standard).Price("t", "openai", "gpt-next", At, new UsageTokens(1_000_000, 1_000_000));

        Assert.Equal(PriceStatus.EstimatedPrice, result.Status);
        Assert.Equal(50m, result.Total); // $10 + $40 per 1M, "dear"'s price
        Assert.Null(result.CanonicalModel);
        Assert.Equal("estimate:openai/dear@2025-01-01", result.PriceVersion);
    }

    [Fact]
    public void An_unknown_provider_uses_the_configured_default()
    {
        var result = Catalog(UnknownModelFallback.Create(2m, 6m)).Price("t", "someone-new", "their-model", At, new UsageTokens(1_000_000, 500_000));

        Assert.Equal(PriceStatus.EstimatedPrice, result.Status);
        Assert.Equal(5m, result.Total);
        Assert.Equal("estimate:default@2000-01-01", result.PriceVersion);
    }

    [Fact]
    public void Without_a_fallback_unknown_models_stay_at_zero_and_resolution_never_reports_a_stand_in()
    {
        Assert.Equal(PriceStatus.UnknownModel, Catalog(null).Price("t", "openai", "gpt-next", At, new UsageTokens(10, 10)).Status);
        Assert.Null(Catalog(UnknownModelFallback.Standard).Resolve("t", "openai", "gpt-next").Model);
    }
}
