namespace CostOps.Core.Budgets;

/// <summary>
/// One period of a budget: spend counts from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive), both
/// UTC instants of local midnights in the budget's zone. <see cref="Key"/> names the period for fire-once state:
/// a new key is a new period, so alert state resets at rollover without any clean-up job.
/// </summary>
public sealed record BudgetPeriod(DateTimeOffset Start, DateTimeOffset End, string Key)
{
    /// <summary>Days from <paramref name="now"/> to the end (fractional, decimal so money arithmetic stays decimal).</summary>
    public decimal RemainingDays(DateTimeOffset now) =>
        now >= End ? 0m : (decimal)(End - now).Ticks / TimeSpan.TicksPerDay;
}
