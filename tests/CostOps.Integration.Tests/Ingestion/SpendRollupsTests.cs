using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary><see cref="SpendRollups"/>'s recomputations in one process, on real ClickHouse, one of them held mid-statement.</summary>
public sealed class SpendRollupsTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    /// <summary>The fixture's ClickHouse, logging every statement and holding the first one <c>hold</c> picks until released.</summary>
    private sealed class HeldClickHouse(IClickHouse inner, Func<string, bool> hold) : IClickHouse
    {
        private int _held;

        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> Log { get; } = [];

        public string Database => inner.Database;

        public int MaxParameterUrlBytes => inner.MaxParameterUrlBytes;

        public async Task ExecuteAsync(string sql, QueryParameters? parameters = null, CancellationToken cancellationToken = default)
        {
            lock (Log) Log.Add(sql);
            if (hold(sql) && Interlocked.Exchange(ref _held, 1) == 0)
            {
                Holding.SetResult();
                await Release.Task;
            }
            await inner.ExecuteAsync(sql, parameters, cancellationToken);
        }

        public Task ExecuteOutsideDatabaseAsync(string sql, QueryParameters? parameters = null, CancellationToken cancellationToken = default) =>
            inner.ExecuteOutsideDatabaseAsync(sql, parameters, cancellationToken);

        public Task<string> QueryAsync(string sql, string format, QueryParameters? parameters = null, CancellationToken cancellationToken = default) =>
            inner.QueryAsync(sql, format, parameters, cancellationToken);

        public Task InsertAsync(string table, string format, ReadOnlyMemory<byte> rows, string? deduplicationToken = null, CancellationToken cancellationToken = default) =>
            inner.InsertAsync(table, format, rows, deduplicationToken, cancellationToken);
    }

    [Fact]
    public async Task A_rebuild_does_not_delete_while_a_pending_refresh_is_writing()
    {
        // A pending refresh that read the events before a re-price and wrote after the rebuild's delete would leave
        // rows under the old model beside the new ones; the rebuild has to wait for it.
        var recomputeHourly = fixture.Catalog.Get(SqlNames.Rollups.RecomputeHourly);
        var recomputeDaily = fixture.Catalog.Get(SqlNames.Rollups.RecomputeDaily);
        var deletes = SqlStatements.Split(fixture.Catalog.Get(SqlNames.Rollups.DeleteSlices)).ToHashSet();
        var clickHouse = new HeldClickHouse(fixture.ClickHouse, sql => sql == recomputeHourly);
        var rollups = new SpendRollups(clickHouse, fixture.Catalog, fixture.Time);
        var slices = new SpendSlices();
        slices.Add("held", new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        rollups.MarkDirty(slices);

        var refresh = rollups.RefreshPendingAsync();
        await clickHouse.Holding.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var rebuild = rollups.RebuildAsync(slices);
        await Task.Delay(200);
        Assert.False(rebuild.IsCompleted);
        lock (clickHouse.Log) Assert.DoesNotContain(clickHouse.Log, deletes.Contains);

        clickHouse.Release.SetResult();
        await Task.WhenAll(refresh, rebuild).WaitAsync(TimeSpan.FromSeconds(60));
        // The refresh's two statements, then the rebuild's deletes and its own recomputation.
        Assert.Equal([recomputeHourly, recomputeDaily], clickHouse.Log.Take(2));
        Assert.All(clickHouse.Log.Skip(2).Take(deletes.Count), sql => Assert.Contains(sql, deletes));
        Assert.Equal([recomputeHourly, recomputeDaily], clickHouse.Log.Skip(2 + deletes.Count));
    }
}
