using CostOps.Core.Budgets;
using CostOps.Infrastructure.Budgets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Admission;

/// <summary>
/// The enabled block and reroute budgets by tenant, read from the budgets table: the first call waits for the read,
/// later ones use the list in memory. Once per <see cref="AdmissionOptions.BudgetRefreshInterval"/> the store's change
/// token is checked in the background and the list read again only when it moved (or once per
/// <see cref="AdmissionOptions.BudgetFullRefreshInterval"/>), so a budget added or changed elsewhere applies within that
/// interval while an unchanged list of thousands of budgets costs one point read, not a scan that competes with
/// admissions; one changed through this instance applies at once (<see cref="BudgetService"/> calls <see cref="Invalidate"/>).
/// </summary>
public sealed class EnforcingBudgets(IBudgetStore store, TimeProvider time, IOptions<AdmissionOptions> options, ILogger<EnforcingBudgets> logger)
{
    /// <param name="CheckedAt">When the change token was last found equal to <paramref name="Token"/>.</param>
    /// <param name="ListedAt">When the list was read.</param>
    private sealed record Snapshot(IReadOnlyDictionary<string, Budget[]> ByTenant, string? Token, DateTimeOffset CheckedAt, DateTimeOffset ListedAt);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _snapshot;
    private int _refreshing;

    /// <summary>The tenant's enforcing budgets (empty when it has none).</summary>
    public async ValueTask<Budget[]> ForTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot ?? await LoadAsync(cancellationToken);
        if (time.GetUtcNow() - snapshot.CheckedAt >= options.Value.BudgetRefreshInterval && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    var refreshed = await RefreshAsync(snapshot, CancellationToken.None);
                    // Not over an Invalidate() that came meanwhile: the next call then reads the table itself.
                    Interlocked.CompareExchange(ref _snapshot, refreshed, snapshot);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Enforcing budgets could not be re-read; admission keeps the list read at {ReadAt}.", snapshot.ListedAt);
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
            // The token before the list: a write between the two is in the list and moves the token, so it is read again next time (never missed).
            return _snapshot ??= await ReadAsync(await store.ChangeTokenAsync(cancellationToken), cancellationToken);
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>The same list, checked now, when the token has not moved and the list is young enough; else a new read.</summary>
    private async Task<Snapshot> RefreshAsync(Snapshot current, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var token = await store.ChangeTokenAsync(cancellationToken);
        if (now - current.ListedAt < options.Value.BudgetFullRefreshInterval && token == current.Token) return current with { CheckedAt = now };
        return await ReadAsync(token, cancellationToken);
    }

    /// <summary>The list, tagged with <paramref name="token"/> read just before it.</summary>
    private async Task<Snapshot> ReadAsync(string? token, CancellationToken cancellationToken)
    {
        var readAt = time.GetUtcNow();
        var budgets = await store.ListAsync(cancellationToken);
        var byTenant = budgets.Select(b => b.Budget).Where(b => b.Enforces)
            .GroupBy(b => b.Scope.Tenant, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(b => b.Id, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        return new Snapshot(byTenant, token, readAt, readAt);
    }
}
