namespace CostOps.Core.Budgets;

/// <summary>
/// What a budget does besides alerting. <see cref="Alert"/> only reports (admission never consults it);
/// <see cref="Block"/> refuses calls whose worst-case cost would take spend past the limit; <see cref="Reroute"/> answers
/// with a cheaper model once a call would pass the budget's warning threshold, and refuses like a blocking budget at the limit.
/// </summary>
public enum BudgetAction
{
    Alert,
    Block,
    Reroute,
}
