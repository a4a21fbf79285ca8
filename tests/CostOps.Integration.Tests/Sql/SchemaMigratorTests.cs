using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.Sql;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Sql;

public sealed class SchemaMigratorTests
{
    private readonly SqlCatalog _catalog = new();

    private static async Task<EmbeddedClickHouse> FreshDatabaseAsync()
    {
        var clickHouse = new EmbeddedClickHouse(TestEnvironment.Engine, TestEnvironment.UniqueName("test_"));
        await Task.CompletedTask;
        return clickHouse;
    }

    private static Task DropAsync(IClickHouse clickHouse) =>
        clickHouse.ExecuteOutsideDatabaseAsync(new SqlCatalog().Get(SqlNames.Migrations.DropDatabase), new QueryParameters { { "database", clickHouse.Database } });

    [Fact]
    public async Task Migrate_creates_the_schema_and_a_second_run_changes_nothing()
    {
        var clickHouse = await FreshDatabaseAsync();
        try
        {
            var migrator = new SchemaMigrator(clickHouse, _catalog, TimeProvider.System);

            var first = await migrator.MigrateAsync();
            var tablesAfterFirst = await clickHouse.QueryAsync("SHOW TABLES", "TSV");
            var second = await migrator.MigrateAsync();

            Assert.Equal(Migration.LoadAll(_catalog).Select(m => m.Version), first.Select(m => m.Version));
            Assert.Empty(second);
            Assert.Contains("usage_events", tablesAfterFirst);
            Assert.Contains("ingest_rejects", tablesAfterFirst);
            Assert.Equal(tablesAfterFirst, await clickHouse.QueryAsync("SHOW TABLES", "TSV"));
            Assert.Equal($"{first.Count}\n", await clickHouse.QueryAsync("SELECT count() FROM schema_migrations", "TSV"));
        }
        finally
        {
            await DropAsync(clickHouse);
        }
    }

    [Fact]
    public async Task An_applied_migration_edited_afterwards_is_an_error()
    {
        var clickHouse = await FreshDatabaseAsync();
        try
        {
            // Both stamps are explicit, so the edited record is the later one whatever the wall clock says.
            var appliedAt = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
            var migrator = new SchemaMigrator(clickHouse, _catalog, new FakeTimeProvider(appliedAt));
            await migrator.MigrateAsync();
            await clickHouse.ExecuteAsync(_catalog.Get(SqlNames.Migrations.RecordMigration), new QueryParameters
            {
                { "version", 1u }, { "name", "usage_events" }, { "checksum", new string('0', 64) },
                { "applied_at", appliedAt.AddMinutes(1) },
            });

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync());
            Assert.Contains("0001_usage_events changed after it was applied", error.Message);
        }
        finally
        {
            await DropAsync(clickHouse);
        }
    }
}
