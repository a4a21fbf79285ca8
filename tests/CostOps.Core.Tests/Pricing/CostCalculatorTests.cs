using CostOps.Core.Pricing;

namespace CostOps.Core.Tests.Pricing;

public sealed class CostCalculatorTests
{
    [Fact]
    public void Uncached_input_is_input_minus_cache_reads_and_writes()
    {
        // 1,000,000 input of which 200,000 cache reads and 100,000 cache writes: 700,000 uncached.
        var cost = CostCalculator.Calculate(TestPrices.Simple(), new UsageTokens(1_000_000, 500_000, CachedInput: 200_000, CacheWrite: 100_000), out var flags);

        Assert.Equal(0.7m, cost.Input);
        Assert.Equal(0.02m, cost.CacheRead);
        Assert.Equal(0.125m, cost.CacheWrite);
        Assert.Equal(1m, cost.Output);
        Assert.Equal(1.845m, cost.Total);
        Assert.Equal(PricingFlags.None, flags);
    }

    [Fact]
    public void Reasoning_tokens_are_part_of_output_and_not_billed_twice()
    {
        var without = CostCalculator.Calculate(TestPrices.Simple(), new UsageTokens(0, 1000), out _);
        var with = CostCalculator.Calculate(TestPrices.Simple(), new UsageTokens(0, 1000, Reasoning: 800), out _);

        Assert.Equal(0.002m, with.Total);
        Assert.Equal(without, with);
    }

    [Fact]
    public void One_hour_cache_writes_use_the_one_hour_price()
    {
        var cost = CostCalculator.Calculate(TestPrices.Simple(), new UsageTokens(1_000_000, 0, CacheWrite: 1_000_000, CacheWrite1h: 400_000), out _);

        // 600,000 × $1.25 + 400,000 × $2 per million.
        Assert.Equal(0.75m + 0.8m, cost.CacheWrite);
        Assert.Equal(0m, cost.Input);
    }

    [Fact]
    public void Input_exactly_at_the_tier_threshold_uses_base_prices()
    {
        var cost = CostCalculator.Calculate(TestPrices.Tiered(), new UsageTokens(200_000, 1_000), out var flags);

        Assert.Equal(0.6m, cost.Input);
        Assert.Equal(0.015m, cost.Output);
        Assert.False(flags.HasFlag(PricingFlags.AboveTier));
    }

    [Fact]
    public void One_token_above_the_threshold_moves_every_component_to_the_tier_price()
    {
        var cost = CostCalculator.Calculate(TestPrices.Tiered(), new UsageTokens(200_001, 1_000, CachedInput: 100_000, CacheWrite: 1, CacheWrite1h: 1), out var flags);

        Assert.Equal(100_000m * 6m / 1_000_000m, cost.Input);
        Assert.Equal(100_000m * 0.6m / 1_000_000m, cost.CacheRead);
        // The tier has no 1-hour write price: the base 1-hour price applies.
        Assert.Equal(6m / 1_000_000m, cost.CacheWrite);
        Assert.Equal(0.0225m, cost.Output);
        Assert.True(flags.HasFlag(PricingFlags.AboveTier));
    }

    [Fact]
    public void Batch_call_uses_batch_prices_when_the_model_has_them()
    {
        var cost = CostCalculator.Calculate(TestPrices.Tiered(), new UsageTokens(100_000, 1_000_000, Batch: true), out var flags);

        Assert.Equal(0.15m, cost.Input);
        Assert.Equal(7.5m, cost.Output);
        Assert.True(flags.HasFlag(PricingFlags.BatchPrices));
    }

    [Fact]
    public void Batch_call_above_the_tier_uses_the_tier_batch_price_where_one_exists()
    {
        var cost = CostCalculator.Calculate(TestPrices.Tiered(), new UsageTokens(1_000_000, 1_000_000, Batch: true), out var flags);

        Assert.Equal(3m, cost.Input);     // the tier's batch input
        Assert.Equal(7.5m, cost.Output);  // no tier batch output: the base batch output
        Assert.Equal(PricingFlags.AboveTier | PricingFlags.BatchPrices, flags);
    }

    [Fact]
    public void Batch_call_without_batch_prices_pays_standard_prices()
    {
        var cost = CostCalculator.Calculate(TestPrices.Simple(), new UsageTokens(1_000_000, 1_000_000, Batch: true), out var flags);

        Assert.Equal(3m, cost.Total);
        Assert.False(flags.HasFlag(PricingFlags.BatchPrices));
    }

    [Fact]
    public void Cache_reads_without_a_cache_price_bill_at_the_input_price_and_say_so()
    {
        var price = TestPrices.Simple() with { CacheRead = null };
        var cost = CostCalculator.Calculate(price, new UsageTokens(1_000_000, 0, CachedInput: 400_000), out var flags);

        Assert.Equal(0.6m, cost.Input);
        Assert.Equal(0.4m, cost.CacheRead);
        Assert.Equal(1m, cost.Total);
        Assert.True(flags.HasFlag(PricingFlags.CacheReadAtInputPrice));
    }

    [Fact]
    public void Missing_cache_price_is_not_flagged_when_there_are_no_cache_reads()
    {
        CostCalculator.Calculate(TestPrices.Simple() with { CacheRead = null }, new UsageTokens(1000, 10), out var flags);

        Assert.Equal(PricingFlags.None, flags);
    }

    [Fact]
    public void Cache_writes_without_a_write_price_bill_at_the_input_price_and_say_so()
    {
        var price = TestPrices.Simple() with { CacheWrite5m = null, CacheWrite1h = null };
        var cost = CostCalculator.Calculate(price, new UsageTokens(1_000_000, 0, CacheWrite: 250_000), out var flags);

        Assert.Equal(0.25m, cost.CacheWrite);
        Assert.True(flags.HasFlag(PricingFlags.CacheWriteAtInputPrice));
    }

    [Fact]
    public void Request_fee_is_added_once_per_call()
    {
        var cost = CostCalculator.Calculate(TestPrices.Simple() with { RequestFee = 0.005m }, new UsageTokens(0, 0), out _);

        Assert.Equal(0.005m, cost.RequestFee);
        Assert.Equal(0.005m, cost.Total);
    }

    [Fact]
    public void Discount_applies_to_every_component()
    {
        var cost = CostCalculator.Calculate(TestPrices.Simple() with { RequestFee = 1m }, new UsageTokens(1_000_000, 1_000_000), out _, discountPercent: 15m);

        Assert.Equal(0.85m, cost.Input);
        Assert.Equal(1.7m, cost.Output);
        Assert.Equal(0.85m, cost.RequestFee);
        Assert.Equal(3.4m, cost.Total);
    }

    [Fact]
    public void Cost_of_one_token_is_exact_to_the_last_decimal()
    {
        // $0.0375 per million tokens: one token costs 0.0000000375, which 9 decimal places would lose.
        var price = TestPrices.Simple() with { Input = 0.0375m };
        var cost = CostCalculator.Calculate(price, new UsageTokens(1, 0), out _);

        Assert.Equal(0.0000000375m, cost.Total);
    }

    [Fact]
    public void Prices_finer_than_a_nanodollar_per_million_are_still_exact()
    {
        // Not representable in the integer fast path: the decimal path takes over, with the same exactness.
        var price = TestPrices.Simple() with { Input = 0.0000000001m };
        var cost = CostCalculator.Calculate(price, new UsageTokens(3, 1), out _);

        Assert.Equal(0.0000000000000003m, cost.Input);
        Assert.Equal(0.000002m, cost.Output);
        Assert.Equal(cost.Input + cost.Output, cost.Total);
    }

    [Fact]
    public void Integer_and_decimal_paths_agree()
    {
        var random = new Random(3);
        foreach (var model in BundledCatalog.Load().Models)
        {
            var price = model.Prices[^1];
            // A fee of 1e-16 USD is below the integer path's resolution, so this twin is priced in decimal.
            var twin = price with { RequestFee = (price.RequestFee ?? 0m) + 0.0000000000000001m };
            var usage = new UsageTokens(random.Next(0, 300_000), random.Next(0, 10_000), random.Next(0, 1_000), random.Next(0, 1_000), random.Next(0, 100), Batch: random.Next(2) == 0);

            var fast = CostCalculator.Calculate(price, usage, out var fastFlags);
            var slow = CostCalculator.Calculate(twin, usage, out var slowFlags);

            Assert.Equal(fast.Input, slow.Input);
            Assert.Equal(fast.CacheRead, slow.CacheRead);
            Assert.Equal(fast.CacheWrite, slow.CacheWrite);
            Assert.Equal(fast.Output, slow.Output);
            Assert.Equal(fast.Total + 0.0000000000000001m, slow.Total);
            Assert.Equal(fastFlags, slowFlags);
        }
    }

    [Fact]
    public void Cache_counts_above_input_clamp_uncached_input_to_zero_and_are_flagged()
    {
        var cost = CostCalculator.Calculate(TestPrices.Simple(), new UsageTokens(100, 0, CachedInput: 150), out var flags);

        Assert.Equal(0m, cost.Input);
        Assert.True(cost.Total >= 0);
        Assert.True(flags.HasFlag(PricingFlags.InconsistentTokens));
    }
}
