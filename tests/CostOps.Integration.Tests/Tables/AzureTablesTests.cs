using Azure;
using Azure.Data.Tables;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Tables;

public sealed class AzureTablesTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Every_CostOps_table_exists_and_ensuring_again_is_harmless()
    {
        await fixture.Tables.EnsureTablesAsync();

        var existing = new List<string>();
        await foreach (var t in fixture.Tables.Service.QueryAsync(t => t.Name.CompareTo(fixture.Options.TablePrefix) >= 0))
        {
            if (t.Name.StartsWith(fixture.Options.TablePrefix, StringComparison.Ordinal)) existing.Add(t.Name[fixture.Options.TablePrefix.Length..]);
        }
        Assert.Equal(TableNames.All.Order(), existing.Order());
    }

    [Fact]
    public async Task A_stale_ETag_loses_an_optimistic_update()
    {
        // Budgets and alert state rely on this: two writers from the same version, only one wins.
        var table = fixture.Tables.Table(TableNames.AlertState);
        var entity = new TableEntity("budget-a", "2026-11") { ["Sent"] = "50" };
        await table.AddEntityAsync(entity);
        var read = (await table.GetEntityAsync<TableEntity>("budget-a", "2026-11")).Value;

        read["Sent"] = "50,80";
        await table.UpdateEntityAsync(read, read.ETag, TableUpdateMode.Replace);

        read["Sent"] = "50,100";
        var conflict = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(read, read.ETag, TableUpdateMode.Replace));
        Assert.Equal(412, conflict.Status);
        Assert.Equal("50,80", (await table.GetEntityAsync<TableEntity>("budget-a", "2026-11")).Value.GetString("Sent"));
    }
}
