using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.Sql;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>A fresh, migrated database on the shared embedded ClickHouse for one test class; dropped afterwards.</summary>
public sealed class ClickHouseFixture : IAsyncLifetime
{
    public ClickHouseFixture()
    {
        ClickHouse = new EmbeddedClickHouse(TestEnvironment.Engine, TestEnvironment.UniqueName("test_"));
    }

    public EmbeddedClickHouse ClickHouse { get; }

    public SqlCatalog Catalog { get; } = new();

    public SchemaMigrator Migrator => new(ClickHouse, Catalog, TimeProvider.System);

    public async Task InitializeAsync() => await Migrator.MigrateAsync();

    public async Task DisposeAsync() =>
        await ClickHouse.ExecuteOutsideDatabaseAsync(Catalog.Get(SqlNames.Migrations.DropDatabase),
            new QueryParameters { { "database", ClickHouse.Database } });
}
