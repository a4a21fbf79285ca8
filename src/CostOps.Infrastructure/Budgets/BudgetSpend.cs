namespace CostOps.Infrastructure.Budgets;

/// <summary>Spend of one budget: in its current period, and per trailing 24-hour window (index 0 = the last 24 h).</summary>
public sealed record BudgetSpend(decimal PeriodSpendUsd, IReadOnlyList<decimal> TrailingDaysUsd)
{
    /// <summary>The part of <see cref="PeriodSpendUsd"/> estimated for models without a price (price_status estimated_price).</summary>
    public decimal PeriodEstimatedUsd { get; init; }

    public static BudgetSpend Zero { get; } = new(0m, new decimal[Core.Budgets.BudgetForecast.WindowDays]);
}
