using CostOps.Core.Recommendations;

namespace CostOps.Core.Tests.Recommendations;

public sealed class BudgetPressureRuleTests
{
    [Fact]
    public void A_forecast_at_130_percent_gets_the_smallest_whole_percent_that_brings_it_under_the_limit()
    {
        // Limit 100, forecast 130, 60 already spent: 70 of the forecast can still change. Substitutes save 96 % of cost.
        // Needed: s × 0.96 × 70 > 30  ⇔  s > 0.446428…  → 45 %; the forecast becomes 130 − 0.45 × 0.96 × 70 = 99.76.
        var share = BudgetPressureRule.ShareNeeded(130m, 100m, 60m, 0.96m);
        Assert.Equal(0.45m, share);
        Assert.Equal(99.76m, BudgetPressureRule.ForecastAfter(130m, 60m, 0.96m, share));
        Assert.True(BudgetPressureRule.ForecastAfter(130m, 60m, 0.96m, share - 0.01m) >= 100m);
    }

    [Fact]
    public void A_share_landing_exactly_on_the_limit_takes_one_percent_more()
    {
        // s × 0.5 × 100 > 25 ⇔ s > 0.5: exactly 50 % would land on the limit, so 51 %.
        Assert.Equal(0.51m, BudgetPressureRule.ShareNeeded(125m, 100m, 25m, 0.5m));
    }

    [Fact]
    public void No_pressure_needs_no_share_and_too_little_saving_needs_more_than_everything()
    {
        Assert.Equal(0m, BudgetPressureRule.ShareNeeded(90m, 100m, 50m, 0.9m));
        Assert.True(BudgetPressureRule.ShareNeeded(200m, 100m, 0m, 0.1m) > 1m);
        Assert.Equal(decimal.MaxValue, BudgetPressureRule.ShareNeeded(130m, 100m, 130m, 0.9m));
    }
}
