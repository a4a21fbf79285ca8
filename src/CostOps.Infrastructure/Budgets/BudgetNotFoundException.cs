namespace CostOps.Infrastructure.Budgets;

/// <summary>No budget with that id: HTTP 404.</summary>
public sealed class BudgetNotFoundException(string id) : Exception($"No budget '{id}'.")
{
    public string Id { get; } = id;
}
