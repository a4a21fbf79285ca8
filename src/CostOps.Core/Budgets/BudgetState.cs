namespace CostOps.Core.Budgets;

/// <summary>What a gateway needs to know at a glance (see <see cref="BudgetStatus.StateOf"/> for the rule).</summary>
public enum BudgetState
{
    Ok,
    Warning,
    Exceeded,
}
