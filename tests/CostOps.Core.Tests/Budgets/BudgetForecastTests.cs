using CostOps.Core.Budgets;

namespace CostOps.Core.Tests.Budgets;

public sealed class BudgetForecastTests
{
    private static readonly BudgetPeriod Period = new(DateTimeOffset.Parse("2026-11-01T00:00:00Z"), DateTimeOffset.Parse("2026-12-01T00:00:00Z"), "m2026-11");

    [Fact]
    public void A_steady_rate_projects_linearly_to_period_end()
    {
        var now = DateTimeOffset.Parse("2026-11-21T00:00:00Z"); // 10 days left
        var forecast = BudgetForecast.AtPeriodEnd(Period, now, 200m, [10m, 10m, 10m, 10m, 10m, 10m, 10m]);
        Assert.Equal(300m, forecast);
    }

    [Fact]
    public void Recent_days_weigh_more()
    {
        // Only the last 24 h had spend: weight 7 of 28.
        Assert.Equal(7m, BudgetForecast.DailyRate([28m]));
        // Only the oldest window had spend: weight 1 of 28.
        Assert.Equal(1m, BudgetForecast.DailyRate([0m, 0m, 0m, 0m, 0m, 0m, 28m]));
    }

    [Fact]
    public void The_forecast_at_the_end_of_the_period_is_the_spend()
    {
        Assert.Equal(123m, BudgetForecast.AtPeriodEnd(Period, Period.End, 123m, [50m]));
    }
}
