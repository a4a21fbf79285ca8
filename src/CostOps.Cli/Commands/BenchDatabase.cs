using System.Diagnostics;
using System.Globalization;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Local;
using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CostOps.Cli.Commands;

/// <summary>A benchmark's throwaway database on the configured ClickHouse: migrated on creation, dropped on dispose.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly SqlCatalog _catalog;

    private BenchDatabase(IClickHouse clickHouse, SqlCatalog catalog)
    {
        ClickHouse = clickHouse;
        _catalog = catalog;
    }

    public IClickHouse ClickHouse { get; }

    public static async Task<BenchDatabase> CreateAsync(IServiceProvider services, string prefix, CancellationToken cancellationToken)
    {
        var configured = services.GetRequiredService<IOptions<ClickHouseOptions>>().Value;
        var clickHouse = ClickHouseFactory.Create(new ClickHouseOptions
        {
            ConnectionString = configured.ConnectionString,
            Database = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)],
            DataPath = configured.DataPath,
            LibraryPath = configured.LibraryPath,
        }, services.GetRequiredService<IOptions<LocalOptions>>().Value);
        var catalog = services.GetRequiredService<SqlCatalog>();
        var database = new BenchDatabase(clickHouse, catalog);
        try
        {
            await new SchemaMigrator(clickHouse, catalog, TimeProvider.System).MigrateAsync(cancellationToken);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
        return database;
    }

    /// <summary>
    /// Waits until no background merge has run in the database for two seconds (merges are scheduled every few hundred
    /// milliseconds, so one idle poll is not enough), or <paramref name="limit"/> passes; returns the time waited. A bench
    /// then measures the settled table that a scheduled job meets, not one mid-merge beside its own load.
    /// </summary>
    public Task<TimeSpan> WaitForMergesAsync(TimeSpan limit, CancellationToken cancellationToken) =>
        WaitForMergesAsync(ClickHouse, _catalog, limit, cancellationToken);

    /// <inheritdoc cref="WaitForMergesAsync(TimeSpan, CancellationToken)"/>
    public static async Task<TimeSpan> WaitForMergesAsync(IClickHouse clickHouse, SqlCatalog catalog, TimeSpan limit, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var idleSince = TimeSpan.Zero;
        while (waited.Elapsed < limit && waited.Elapsed - idleSince < TimeSpan.FromSeconds(2))
        {
            var running = await clickHouse.QueryAsync(catalog.Get(SqlNames.Bench.MergesRunning), "TSV",
                new QueryParameters { { "database", clickHouse.Database } }, cancellationToken);
            if (running.Trim() != "0")
            {
                idleSince = waited.Elapsed;
            }
            await Task.Delay(250, cancellationToken);
        }
        return waited.Elapsed;
    }

    /// <summary>The active parts of <paramref name="table"/>: how much a FINAL read of it has to merge.</summary>
    public async Task<int> ActivePartsAsync(string table, CancellationToken cancellationToken) =>
        int.Parse((await ClickHouse.QueryAsync(_catalog.Get(SqlNames.Bench.ActiveParts), "TSV",
            new QueryParameters { { "database", ClickHouse.Database }, { "table", table } }, cancellationToken)).Trim(),
            CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync() =>
        await ClickHouse.ExecuteOutsideDatabaseAsync(_catalog.Get(SqlNames.Migrations.DropDatabase),
            new QueryParameters { { "database", ClickHouse.Database } }, CancellationToken.None);
}
