namespace CostOps.Core.Budgets;

/// <summary>
/// Forecast of spend at the end of the period: spend so far plus a run-rate times the days left.
/// The run-rate is a weighted mean of the trailing seven 24-hour windows before now, weights 7 (the last 24 h)
/// down to 1 (six to seven days ago), so a recent change in traffic shows within a day while one odd day does not
/// swing the forecast. Windows without spend count as zero: a quiet day is information. Everything is decimal.
/// </summary>
public static class BudgetForecast
{
    /// <summary>Number of trailing 24-hour windows the run-rate uses.</summary>
    public const int WindowDays = 7;

    /// <summary>
    /// The weighted daily run-rate. <paramref name="trailingDays"/>[0] is spend in the last 24 hours before now,
    /// [1] the 24 hours before that, and so on; missing entries count as zero.
    /// </summary>
    public static decimal DailyRate(IReadOnlyList<decimal> trailingDays)
    {
        decimal weighted = 0m, weights = 0m;
        for (var i = 0; i < WindowDays; i++)
        {
            var weight = WindowDays - i;
            weighted += weight * (i < trailingDays.Count ? trailingDays[i] : 0m);
            weights += weight;
        }
        return weighted / weights;
    }

    /// <summary>Forecast spend at <see cref="BudgetPeriod.End"/>: never below the spend already made.</summary>
    public static decimal AtPeriodEnd(BudgetPeriod period, DateTimeOffset now, decimal spendSoFar, IReadOnlyList<decimal> trailingDays)
    {
        var rate = Math.Max(0m, DailyRate(trailingDays));
        return decimal.Round(spendSoFar + rate * period.RemainingDays(now), 9);
    }
}
