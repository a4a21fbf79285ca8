using CostOps.Core.Budgets;
using CostOps.Core.Recommendations;
using CostOps.Infrastructure.Budgets;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>
/// The budgets whose forecast is over their limit, computed exactly as the budget evaluator computes them (its store,
/// its grouped spend reader, its forecast) but without deciding or sending any alert.
/// </summary>
public sealed class BudgetPressureReader(IBudgetStore store, BudgetSpendReader spendReader)
{
    public async Task<IReadOnlyList<BudgetPressure>> ReadAsync(DateTimeOffset now, string? tenant, CancellationToken cancellationToken = default)
    {
        var budgets = (await store.ListAsync(cancellationToken))
            .Where(b => b.Budget.Enabled && (string.IsNullOrEmpty(tenant) || b.Budget.Scope.Tenant == tenant))
            .Select(b => (b.Budget, Period: BudgetPeriods.Current(b.Budget, now)))
            .ToList();
        if (budgets.Count == 0) return [];
        var spend = await spendReader.ReadAsync(budgets, now, cancellationToken);
        var result = new List<BudgetPressure>();
        foreach (var (budget, period) in budgets)
        {
            var s = spend[budget.Id];
            var forecast = BudgetForecast.AtPeriodEnd(period, now, s.PeriodSpendUsd, s.TrailingDaysUsd);
            if (forecast > budget.LimitUsd) result.Add(new BudgetPressure(budget.Id, budget.Scope, budget.LimitUsd, s.PeriodSpendUsd, forecast));
        }
        return result;
    }
}
