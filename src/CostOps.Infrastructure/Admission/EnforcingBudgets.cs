using CostOps.Core.Budgets;
using CostOps.Infrastructure.Budgets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Admission;

/// <summary>
/// The enabled block and reroute budgets by tenant, read from the budgets table at most once per
/// <see cref="AdmissionOptions.BudgetRefreshInterval"/>: the first call waits for the read, later ones use the list in
/// memory while a stale one is re-read in the background, so a budget added or changed elsewhere applies within that
/// interval; one changed through this instance applies at once (<see cref="BudgetService"/> calls <see cref="Invalidate"/>).
/// </summary>
public sealed class EnforcingBudgets(IBudgetStore store, TimeProvider time, IOptions<AdmissionOptions> options, ILogger<EnforcingBudgets> logger)
{
    private sealed record Snapshot(IReadOnlyDictionary<string, Budget[]> ByTenant, DateTimeOffset ReadAt);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _snapshot;
    private int _refreshing;

    /// <summary>The tenant's enforcing budgets (empty when it has none).</summary>
    public async ValueTask<Budget[]> ForTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot ?? await LoadAsync(cancellationToken);
        if (time.GetUtcNow() - snapshot.ReadAt >= options.Value.BudgetRefreshInterval && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    _snapshot = await ReadAsync(CancellationToken.None);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Enforcing budgets could not be re-read; admission keeps the list read at {ReadAt}.", snapshot.ReadAt);
                }
                finally
                {
                    Interlocked.Exchange(ref _refreshing, 0);
                }
            }, CancellationToken.None);
        }
        return snapshot.ByTenant.TryGetValue(tenant, out var budgets) ? budgets : [];
    }

    /// <summary>Every enforcing budget (for the background spend refresh).</summary>
    public async ValueTask<IEnumerable<Budget>> AllAsync(CancellationToken cancellationToken) =>
        (_snapshot ?? await LoadAsync(cancellationToken)).ByTenant.Values.SelectMany(b => b);

    /// <summary>Forgets the list, so the next call reads the table.</summary>
    public void Invalidate() => _snapshot = null;

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            return _snapshot ??= await ReadAsync(cancellationToken);
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<Snapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var readAt = time.GetUtcNow();
        var budgets = await store.ListAsync(cancellationToken);
        var byTenant = budgets.Select(b => b.Budget).Where(b => b.Enforces)
            .GroupBy(b => b.Scope.Tenant, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(b => b.Id, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        return new Snapshot(byTenant, readAt);
    }
}
