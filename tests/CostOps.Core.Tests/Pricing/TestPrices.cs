using CostOps.Core.Pricing;

namespace CostOps.Core.Tests.Pricing;

/// <summary>Builders for prices and catalog entries with round numbers, so expected costs are easy to check by hand.</summary>
internal static class TestPrices
{
    public static readonly DateOnly Jan1 = new(2025, 1, 1);

    /// <summary>$1 input, $2 output, $0.10 cache read, $1.25 / $2 cache writes per 1M tokens.</summary>
    public static ModelPrice Simple(DateOnly? from = null) => new()
    {
        EffectiveFrom = from ?? Jan1,
        Source = "test",
        Input = 1m,
        Output = 2m,
        CacheRead = 0.1m,
        CacheWrite5m = 1.25m,
        CacheWrite1h = 2m,
    };

    /// <summary>Sonnet-4.5-like: $3/$15, above 200,000 input tokens $6/$22.50, batch half price at both tiers.</summary>
    public static ModelPrice Tiered() => new()
    {
        EffectiveFrom = Jan1,
        Source = "test",
        Input = 3m,
        Output = 15m,
        CacheRead = 0.3m,
        CacheWrite5m = 3.75m,
        CacheWrite1h = 6m,
        BatchInput = 1.5m,
        BatchOutput = 7.5m,
        TierThresholdTokens = 200_000,
        AboveTier = new TierPrices { Input = 6m, Output = 22.5m, CacheRead = 0.6m, CacheWrite5m = 7.5m, BatchInput = 3m },
    };

    public static CatalogModel Model(ProviderId provider, string model, params ModelPrice[] prices) =>
        new() { Provider = provider, Model = model, Prices = prices };

    public static CatalogModel Model(ProviderId provider, string model, string[] ids, params ModelPrice[] prices) =>
        new() { Provider = provider, Model = model, Ids = ids, Prices = prices };

    public static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 12, 0, 0, TimeSpan.Zero);
}
