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
    // Recomputations in this process run one at a time (pending refreshes, a commit's own, a rebuild): the slices taken
    // and the version given are then in the order the statements run, so the highest version of a slice is always a
    // recomputation that read it after its last marked insert, and no refresh interleaves with a rebuild's delete.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _pendingSince;
    private long _lastVersionTicks;

    /// <summary>Remembers slices to recompute later with <see cref="RefreshPendingAsync"/> (bulk loads refresh once at the end, live commits every <see cref="IngestionOptions.RollupIntervalMilliseconds"/>).</summary>
    public void MarkDirty(SpendSlices slices)
    {
        if (slices.IsEmpty) return;
        lock (_lock)
        {
            if (_pending.IsEmpty) _pendingSince = System.Diagnostics.Stopwatch.GetTimestamp();
            _pending.Add(slices);
        }
    }

    /// <summary>How long the oldest slice marked and not yet refreshed has waited (real time); null when none waits.</summary>
    public TimeSpan? PendingAge
    {
        get
        {
            lock (_lock) return _pending.IsEmpty ? null : System.Diagnostics.Stopwatch.GetElapsedTime(_pendingSince);
        }
    }

    /// <summary>
    /// Recomputes every slice marked so far. Readers that must see every acknowledged event (spend, budgets) call it
    /// first: it returns once every slice marked before the call is recomputed, by this call or by one already running
    /// (whose slices are no longer marked, but not yet written). On failure the slices stay marked for the next call (and
    /// the repair pass covers a crash in between).
    /// </summary>
    public Task RefreshPendingAsync(CancellationToken cancellationToken = default) =>
        UnderGateAsync(() => RefreshPendingGatedAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Reads the rollups as of every event this process acknowledged (read-your-writes: live commits defer their
    /// refresh): what marked slices remain are recomputed first, then <paramref name="sql"/> runs. Every reader of
    /// <c>spend_hourly</c> and <c>spend_daily</c> in the process goes through here (spend, budgets, pricing notices).
    /// </summary>
    public async Task<string> QueryAsync(string sql, string format, QueryParameters parameters, CancellationToken cancellationToken = default)
    {
        await RefreshPendingAsync(cancellationToken);
        return await clickHouse.QueryAsync(sql, format, parameters, cancellationToken);
    }

    /// <summary>Recomputes <paramref name="slices"/> now (a commit refreshing its own rollups before it answers).</summary>
    public Task RefreshAsync(SpendSlices slices, CancellationToken cancellationToken = default) =>
        slices.IsEmpty ? Task.CompletedTask : UnderGateAsync(() => RecomputeAsync(slices, cancellationToken), cancellationToken);

    /// <summary>
    /// Deletes and recomputes slices whose groups may have changed (re-pricing), rather than only replacing them. Under
    /// the gate: a pending refresh that read the events before a re-price and wrote after this delete would leave rows
    /// under the old groups (a model renamed by an alias), counted beside the new ones.
    /// </summary>
    public Task RebuildAsync(SpendSlices slices, CancellationToken cancellationToken = default)
    {
        if (slices.IsEmpty) return Task.CompletedTask;
        var parameters = new QueryParameters
        {
            { "tenants", slices.Tenants.ToArray() },
            { "hours", slices.Hours.ToArray() },
            { "days", slices.Days.ToArray() },
        };
        return UnderGateAsync(async () =>
        {
            foreach (var statement in SqlStatements.Split(catalog.Get(SqlNames.Rollups.DeleteSlices)))
            {
                await clickHouse.ExecuteAsync(statement, parameters, cancellationToken);
            }
            await RecomputeAsync(slices, cancellationToken);
        }, cancellationToken);
    }

    private async Task UnderGateAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await work();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The pending refresh, with the gate held.</summary>
    private async Task RefreshPendingGatedAsync(CancellationToken cancellationToken)
    {
        SpendSlices slices;
        lock (_lock)
        {
            if (_pending.IsEmpty) return;
            slices = new SpendSlices();
            slices.Add(_pending);
            _pending.Clear();
        }
        try
        {
            await RecomputeAsync(slices, cancellationToken);
        }
        catch
        {
            MarkDirty(slices);
            throw;
        }
    }

    /// <summary>Recomputes <paramref name="slices"/> from <c>usage_events FINAL</c>, with the gate held.</summary>
    private async Task RecomputeAsync(SpendSlices slices, CancellationToken cancellationToken)
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
