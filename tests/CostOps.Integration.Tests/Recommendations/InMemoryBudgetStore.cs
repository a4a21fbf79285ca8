using CostOps.Core.Budgets;
using CostOps.Infrastructure.Budgets;

namespace CostOps.Integration.Tests.Recommendations;

/// <summary>The outermost edge replaced: budgets held in memory, so the real spend reader and forecast run without Azure Tables.</summary>
public sealed class InMemoryBudgetStore : IBudgetStore
{
    private readonly Dictionary<string, Budget> _budgets = new(StringComparer.Ordinal);

    public void Put(Budget budget) => _budgets[budget.Id] = budget;

    public Task<StoredBudget?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_budgets.TryGetValue(id, out var b) ? new StoredBudget(b, "etag", null) : null);

    public Task<IReadOnlyList<StoredBudget>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StoredBudget>>(_budgets.Values.OrderBy(b => b.Id, StringComparer.Ordinal).Select(b => new StoredBudget(b, "etag", null)).ToList());

    public Task<StoredBudget> AddAsync(Budget budget, CancellationToken cancellationToken = default)
    {
        Put(budget);
        return Task.FromResult(new StoredBudget(budget, "etag", null));
    }

    public Task<StoredBudget> UpdateAsync(Budget budget, string? ifMatch, CancellationToken cancellationToken = default) => AddAsync(budget, cancellationToken);

    public Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default) => Task.FromResult(_budgets.Remove(id));
}
