using CostOps.Core.Pricing;

namespace CostOps.Core.Tests.Pricing;

/// <summary>Properties over random token counts (seeded, so failures reproduce) and every bundled price.</summary>
public sealed class CostPropertyTests
{
    private const int Cases = 2_000;

    private static IEnumerable<ModelPrice> Prices() =>
        BundledCatalog.LoadHandChecked().Models.SelectMany(m => m.Prices).Append(TestPrices.Tiered()).Append(TestPrices.Simple() with { CacheRead = null, RequestFee = 0.01m });

    private static UsageTokens RandomUsage(Random random)
    {
        // Around the 128K/200K tier thresholds often, so both sides are exercised.
        long input = random.Next(4) switch
        {
            0 => random.Next(0, 2_000),
            1 => random.Next(120_000, 210_000),
            _ => random.Next(0, 1_500_000),
        };
        var cached = input == 0 ? 0 : random.NextInt64(0, input + 1);
        var writes = random.NextInt64(0, input - cached + 1);
        var writes1h = random.NextInt64(0, writes + 1);
        long output = random.Next(0, 100_000);
        return new UsageTokens(input, output, cached, writes, writes1h, random.NextInt64(0, output + 1), Batch: random.Next(2) == 0);
    }

    [Fact]
    public void Cost_is_never_negative_and_equals_the_sum_of_its_components()
    {
        var random = new Random(20251219);
        var prices = Prices().ToArray();
        for (var i = 0; i < Cases; i++)
        {
            var price = prices[random.Next(prices.Length)];
            var usage = RandomUsage(random);
            var c = CostCalculator.Calculate(price, usage, out _, discountPercent: random.Next(3) == 0 ? random.Next(0, 101) : 0);

            Assert.True(c.Input >= 0 && c.CacheRead >= 0 && c.CacheWrite >= 0 && c.Output >= 0 && c.RequestFee >= 0, $"{usage}");
            Assert.Equal(c.Input + c.CacheRead + c.CacheWrite + c.Output + c.RequestFee, c.Total);
        }
    }

    [Fact]
    public void Cost_is_monotonic_in_each_token_count_within_a_tier()
    {
        var random = new Random(42);
        var prices = Prices().ToArray();
        for (var i = 0; i < Cases; i++)
        {
            var price = prices[random.Next(prices.Length)];
            var u = RandomUsage(random);
            var more = random.Next(1, 5_000);
            var baseline = CostCalculator.Calculate(price, u, out var flags).Total;

            // More output, more cache reads or more uncached input (input grows with them) never costs less.
            Assert.True(CostCalculator.Calculate(price, u with { Output = u.Output + more }, out _).Total >= baseline, $"output {u}");
            if (!CrossesTier(price, u.Input, more))
            {
                Assert.True(CostCalculator.Calculate(price, u with { Input = u.Input + more }, out _).Total >= baseline, $"input {u}");
                Assert.True(CostCalculator.Calculate(price, u with { Input = u.Input + more, CachedInput = u.CachedInput + more }, out _).Total >= baseline, $"cached {u}");
                Assert.True(CostCalculator.Calculate(price, u with { Input = u.Input + more, CacheWrite = u.CacheWrite + more }, out _).Total >= baseline, $"writes {u}");
            }
            Assert.True(baseline >= 0, flags.ToString());
        }
    }

    [Fact]
    public void Crossing_the_tier_threshold_never_lowers_the_cost()
    {
        // Tier prices are higher than base prices in every bundled entry, so the step at the threshold goes up.
        var random = new Random(7);
        foreach (var price in Prices().Where(p => p.TierThresholdTokens is not null))
        {
            var threshold = price.TierThresholdTokens!.Value;
            for (var i = 0; i < 50; i++)
            {
                var output = random.Next(0, 50_000);
                var cached = random.Next(0, 100_000);
                var at = CostCalculator.Calculate(price, new UsageTokens(threshold, output, cached), out _).Total;
                var above = CostCalculator.Calculate(price, new UsageTokens(threshold + 1, output, cached), out _).Total;
                Assert.True(above >= at, $"{threshold} {output} {cached}");
            }
        }
    }

    private static bool CrossesTier(ModelPrice price, long input, long more) =>
        price.TierThresholdTokens is { } t && input <= t && input + more > t;
}
