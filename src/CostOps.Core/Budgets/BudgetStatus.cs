namespace CostOps.Core.Budgets;

/// <summary>Where a budget stands now: the numbers behind <c>GET /api/budgets/{id}/status</c>.</summary>
public sealed record BudgetStatus(
    string BudgetId,
    BudgetPeriod Period,
    decimal SpendUsd,
    decimal LimitUsd,
    decimal RemainingUsd,
    decimal Percent,
    decimal ForecastUsd,
    BudgetState State,
    DateTimeOffset EvaluatedAt)
{
    /// <summary>The part of <see cref="SpendUsd"/> estimated for models without a price (docs/pricing.md, unknown models).</summary>
    public decimal EstimatedSpendUsd { get; init; }

    /// <summary>The budget's tenant, so a caller's tenant scope can be applied to a cached status.</summary>
    public string Tenant { get; init; } = "";

    /// <summary>Open admission reservations of calls not settled yet (block and reroute budgets); remaining and state count them.</summary>
    public decimal ReservedUsd { get; init; }

    public static BudgetStatus Of(Budget budget, BudgetPeriod period, decimal spendUsd, decimal forecastUsd, DateTimeOffset now, decimal reservedUsd = 0m) =>
        new(budget.Id, period, spendUsd, budget.LimitUsd, Math.Max(0m, budget.LimitUsd - spendUsd - reservedUsd),
            Money.Percent(spendUsd, budget.LimitUsd), forecastUsd, StateOf(budget, spendUsd + reservedUsd, forecastUsd), now)
        {
            Tenant = budget.Scope.Tenant,
            ReservedUsd = reservedUsd,
        };

    /// <summary>
    /// <c>exceeded</c>: spend at or over the limit. <c>warning</c>: spend at or over the lowest actual threshold below
    /// 100 % (80 % when there is none), or the forecast at or over the limit. Otherwise <c>ok</c>.
    /// </summary>
    public static BudgetState StateOf(Budget budget, decimal spendUsd, decimal forecastUsd)
    {
        if (spendUsd >= budget.LimitUsd) return BudgetState.Exceeded;
        return spendUsd >= budget.LimitUsd * budget.WarningPercent / 100m || forecastUsd >= budget.LimitUsd
            ? BudgetState.Warning
            : BudgetState.Ok;
    }
}
