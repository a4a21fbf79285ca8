using CostOps.Core.Budgets;

namespace CostOps.Infrastructure.Budgets;

/// <summary>Budget definitions with optimistic concurrency: every write after a read presents the ETag it read.</summary>
public interface IBudgetStore
{
    Task<StoredBudget?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>All budgets (enabled or not), ordered by id.</summary>
    Task<IReadOnlyList<StoredBudget>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a new budget; <see cref="BudgetConflictException"/> when the id is taken.</summary>
    Task<StoredBudget> AddAsync(Budget budget, CancellationToken cancellationToken = default);

    /// <summary>Replaces a budget; with <paramref name="ifMatch"/> only if unchanged since (else <see cref="BudgetConflictException"/>).</summary>
    Task<StoredBudget> UpdateAsync(Budget budget, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>
    /// A token that changes whenever any budget is written through a store on the same table (null before the first
    /// such write): polling it is one point read, where listing reads every budget.
    /// </summary>
    Task<string?> ChangeTokenAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a budget; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default);
}
