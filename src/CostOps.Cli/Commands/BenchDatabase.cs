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

    public async ValueTask DisposeAsync() =>
        await ClickHouse.ExecuteOutsideDatabaseAsync(_catalog.Get(SqlNames.Migrations.DropDatabase),
            new QueryParameters { { "database", ClickHouse.Database } }, CancellationToken.None);
}
