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

    public static BudgetStatus Of(Budget budget, BudgetPeriod period, decimal spendUsd, decimal forecastUsd, DateTimeOffset now) =>
        new(budget.Id, period, spendUsd, budget.LimitUsd, Math.Max(0m, budget.LimitUsd - spendUsd),
            Money.Percent(spendUsd, budget.LimitUsd), forecastUsd, StateOf(budget, spendUsd, forecastUsd), now)
        {
            Tenant = budget.Scope.Tenant,
        };

    /// <summary>
    /// <c>exceeded</c>: spend at or over the limit. <c>warning</c>: spend at or over the lowest actual threshold below
    /// 100 % (80 % when there is none), or the forecast at or over the limit. Otherwise <c>ok</c>.
    /// </summary>
    public static BudgetState StateOf(Budget budget, decimal spendUsd, decimal forecastUsd)
    {
        if (spendUsd >= budget.LimitUsd) return BudgetState.Exceeded;
        var warnAt = budget.Thresholds.Where(t => t.Kind == ThresholdKind.Actual && t.Percent < 100)
            .Select(t => (int?)t.Percent).Min() ?? 80;
        return spendUsd >= budget.LimitUsd * warnAt / 100m || forecastUsd >= budget.LimitUsd
            ? BudgetState.Warning
            : BudgetState.Ok;
    }
}
