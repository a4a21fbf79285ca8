using CostOps.Core.Budgets;

namespace CostOps.Core.Recommendations;

/// <summary>A budget whose forecast the recommendations may need to bring under its limit (from the budgets' own evaluation).</summary>
/// <param name="BudgetId">The budget.</param>
/// <param name="Scope">What the budget counts.</param>
/// <param name="LimitUsd">Its limit.</param>
/// <param name="SpendUsd">Spend so far in the current period: already spent, beyond any routing change.</param>
/// <param name="ForecastUsd">Forecast spend at period end.</param>
public sealed record BudgetPressure(string BudgetId, BudgetScope Scope, decimal LimitUsd, decimal SpendUsd, decimal ForecastUsd);
