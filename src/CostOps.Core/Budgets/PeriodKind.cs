namespace CostOps.Core.Budgets;

/// <summary>How a budget's period is cut, always in the budget's own time zone.</summary>
public enum PeriodKind
{
    /// <summary>Local midnight to local midnight.</summary>
    Daily,

    /// <summary>ISO week: Monday 00:00 to the next Monday 00:00.</summary>
    Weekly,

    /// <summary>Calendar month: the 1st 00:00 to the next 1st 00:00.</summary>
    Month,

    /// <summary>The trailing N local days including today; alerts re-arm every N days (see <see cref="BudgetPeriods"/>).</summary>
    Rolling,
}
