using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>
/// Keeps <c>spend_hourly</c> and <c>spend_daily</c> exact: a touched slice is recomputed whole from deduplicated
/// events (<c>usage_events FINAL</c>) and the newest recomputation replaces the older ones. Because a slice is
/// rebuilt rather than incremented, replays, retries and concurrent writers cannot inflate it: the last refresh
/// that starts after an insert sees that insert.
/// </summary>
public sealed class SpendRollups(IClickHouse clickHouse, SqlCatalog catalog, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly SpendSlices _pending = new();
    private long _lastVersionTicks;

    /// <summary>Remembers slices to recompute later with <see cref="RefreshPendingAsync"/> (bulk loads refresh once at the end).</summary>
    public void MarkDirty(SpendSlices slices)
    {
        lock (_lock) _pending.Add(slices);
    }

    public async Task RefreshPendingAsync(CancellationToken cancellationToken = default)
    {
        SpendSlices slices;
        lock (_lock)
        {
            slices = new SpendSlices();
            slices.Add(_pending);
            _pending.Clear();
        }
        await RefreshAsync(slices, cancellationToken);
    }

    public async Task RefreshAsync(SpendSlices slices, CancellationToken cancellationToken = default)
    {
        if (slices.IsEmpty) return;
        var version = NextVersion();
        var tenants = slices.Tenants.ToArray();
        foreach (var (hours, days) in slices.ByMonthChunks(UsageEventRows.MaxPartitionsPerInsert))
        {
            await clickHouse.ExecuteAsync(catalog.Get(SqlNames.Rollups.RecomputeHourly), new QueryParameters
            {
                { "tenants", tenants },
                { "hours", hours },
                { "version", version },
            }, cancellationToken);
            await clickHouse.ExecuteAsync(catalog.Get(SqlNames.Rollups.RecomputeDaily), new QueryParameters
            {
                { "tenants", tenants },
                { "days", days },
                { "version", version },
            }, cancellationToken);
        }
    }

    /// <summary>Deletes and recomputes slices whose groups may have changed (re-pricing), rather than only replacing them.</summary>
    public async Task RebuildAsync(SpendSlices slices, CancellationToken cancellationToken = default)
    {
        if (slices.IsEmpty) return;
        var parameters = new QueryParameters
        {
            { "tenants", slices.Tenants.ToArray() },
            { "hours", slices.Hours.ToArray() },
            { "days", slices.Days.ToArray() },
        };
        foreach (var statement in SqlStatements.Split(catalog.Get(SqlNames.Rollups.DeleteSlices)))
        {
            await clickHouse.ExecuteAsync(statement, parameters, cancellationToken);
        }
        await RefreshAsync(slices, cancellationToken);
    }

    // Strictly increasing within the process even when the clock stands still (tests, coarse clocks).
    private DateTimeOffset NextVersion()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow().UtcTicks;
            _lastVersionTicks = Math.Max(now, _lastVersionTicks + 10);
            return new DateTimeOffset(_lastVersionTicks, TimeSpan.Zero);
        }
    }
}
