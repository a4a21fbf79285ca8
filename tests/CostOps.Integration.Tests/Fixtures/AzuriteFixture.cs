using CostOps.Infrastructure.Tables;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>Azure Tables on a real Azurite, with a table prefix unique to the test class; its tables are deleted afterwards.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public TableStorageOptions Options { get; private set; } = null!;

    public TableStorage Tables { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await TestEnvironment.AzuriteAsync();
        Options = new TableStorageOptions { ConnectionString = TestEnvironment.TablesConnectionString, TablePrefix = TestEnvironment.UniqueName("t") };
        Tables = new TableStorage(Options);
        await Tables.EnsureTablesAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var name in TableNames.All) await Tables.Table(name).DeleteAsync();
    }
}
