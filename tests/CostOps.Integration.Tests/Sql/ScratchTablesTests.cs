using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Sql;

/// <summary>Scratch tables a crash left behind are dropped by the start-up sweep; nothing else is.</summary>
public sealed class ScratchTablesTests(ClickHouseFixture fixture) : IClassFixture<ClickHouseFixture>
{
    [Fact]
    public async Task The_sweep_drops_left_over_scratch_tables_only()
    {
        var catalog = new SqlCatalog();
        var leftIds = ScratchTables.NewName(ScratchTables.IngestIds);
        var leftBudgets = ScratchTables.NewName(ScratchTables.BudgetInput);
        await fixture.ClickHouse.ExecuteAsync(catalog.Get(SqlNames.Ingest.CreateCandidateIds), new QueryParameters { { "table", leftIds } });
        await fixture.ClickHouse.ExecuteAsync(catalog.Get(SqlNames.Budgets.CreateInput), new QueryParameters { { "table", leftBudgets } });
        // Same prefix but not a Memory table: not ours to drop.
        await fixture.ClickHouse.ExecuteAsync("CREATE TABLE ingest_ids_keep (x UInt8) ENGINE = MergeTree ORDER BY x");

        // Younger than the age limit: kept (an operation may be using them right now).
        Assert.Empty(await ScratchTables.SweepAsync(fixture.ClickHouse, catalog, TimeSpan.FromHours(1), CancellationToken.None));

        var swept = await ScratchTables.SweepAsync(fixture.ClickHouse, catalog, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(new[] { leftBudgets, leftIds }.Order(StringComparer.Ordinal), swept);
        var left = await fixture.ClickHouse.QueryAsync(
            "SELECT name FROM system.tables WHERE database = currentDatabase() AND (name LIKE 'ingest\\_ids\\_%' OR name LIKE 'budget\\_input\\_%')", "TSV");
        Assert.Equal("ingest_ids_keep\n", left);
    }
}
