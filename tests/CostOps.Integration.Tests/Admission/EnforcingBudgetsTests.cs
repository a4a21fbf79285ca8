using Azure.Data.Tables;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Admission;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Admission;

/// <summary>
/// The budgets table's change marker on real Azurite, and admission's list of enforcing budgets kept fresh by it: a
/// budget written through any instance's store is seen within the refresh interval, while an unchanged table is not
/// listed again (a row edited by hand, which does not move the marker, is seen at the full refresh).
/// </summary>
public sealed class EnforcingBudgetsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<TableStorage> TablesAsync()
    {
        await TestEnvironment.AzuriteAsync();
        var tables = new TableStorage(new TableStorageOptions { ConnectionString = TestEnvironment.TablesConnectionString, TablePrefix = TestEnvironment.UniqueName("eb") });
        await tables.EnsureTablesAsync();
        return tables;
    }

    private static Budget Blocking(string id, string tenant = "acme") =>
        new() { Id = id, Scope = new BudgetScope(tenant), LimitUsd = 10m, Action = BudgetAction.Block };

    [Fact]
    public async Task The_change_token_moves_with_every_write_and_only_then()
    {
        var store = new TableBudgetStore(await TablesAsync());
        Assert.Null(await store.ChangeTokenAsync());

        var added = await store.AddAsync(Blocking("b1"));
        var afterAdd = await store.ChangeTokenAsync();
        Assert.NotNull(afterAdd);
        Assert.Equal(added.ETag, (await store.GetAsync("b1"))!.ETag);
        Assert.Equal(["b1"], (await store.ListAsync()).Select(b => b.Budget.Id));
        Assert.Equal(afterAdd, await store.ChangeTokenAsync());

        // A write that fails changes nothing, the marker included: it is in the same transaction.
        await Assert.ThrowsAsync<BudgetConflictException>(() => store.AddAsync(Blocking("b1")));
        await Assert.ThrowsAsync<BudgetConflictException>(() => store.UpdateAsync(Blocking("b1") with { LimitUsd = 11m }, "W/\"datetime'2000-01-01T00%3A00%3A00Z'\""));
        Assert.Equal(afterAdd, await store.ChangeTokenAsync());

        var updated = await store.UpdateAsync(Blocking("b1") with { LimitUsd = 12m }, added.ETag);
        var afterUpdate = await store.ChangeTokenAsync();
        Assert.NotEqual(afterAdd, afterUpdate);
        Assert.Equal(12m, (await store.GetAsync("b1"))!.Budget.LimitUsd);

        await store.ImportAsync(Enumerable.Range(0, 150).Select(i => Blocking($"imp{i}")));
        var afterImport = await store.ChangeTokenAsync();
        Assert.NotEqual(afterUpdate, afterImport);
        Assert.Equal(151, (await store.ListAsync()).Count);

        Assert.False(await store.DeleteAsync("nope", null));
        // The marker is never a budget, whatever id is asked for.
        Assert.Null(await store.GetAsync("~changed"));
        Assert.False(await store.DeleteAsync("~changed", null));
        Assert.Equal(afterImport, await store.ChangeTokenAsync());
        Assert.True(await store.DeleteAsync("b1", updated.ETag));
        Assert.NotEqual(afterImport, await store.ChangeTokenAsync());
        Assert.Null(await store.GetAsync("b1"));
    }

    [Fact]
    public async Task A_budget_written_elsewhere_is_seen_within_the_interval_and_an_unchanged_table_is_not_listed_again()
    {
        var tables = await TablesAsync();
        var time = new FakeTimeProvider(Start);
        var options = Options.Create(new AdmissionOptions());
        var here = new EnforcingBudgets(new TableBudgetStore(tables), time, options, NullLogger<EnforcingBudgets>.Instance);
        var elsewhere = new TableBudgetStore(tables);
        await elsewhere.AddAsync(Blocking("b1"));
        Assert.Equal(["b1"], Ids(await here.ForTenantAsync("acme", CancellationToken.None)));

        // Another instance adds a blocking budget: seen once the interval has passed (the check runs in the background).
        await elsewhere.AddAsync(Blocking("b2"));
        Assert.Equal(["b1"], Ids(await here.ForTenantAsync("acme", CancellationToken.None)));
        time.Advance(options.Value.BudgetRefreshInterval);
        await EventuallyAsync(async () => Ids(await here.ForTenantAsync("acme", CancellationToken.None)).SequenceEqual(["b1", "b2"]));

        // A row written into the table by hand does not move the marker: the interval's check keeps the list ...
        var row = (await tables.Table(TableNames.Budgets).GetEntityAsync<TableEntity>("budget", "b2")).Value;
        var definition = row.GetString("Definition").Replace("\"b2\"", "\"b3\"", StringComparison.Ordinal);
        await tables.Table(TableNames.Budgets).AddEntityAsync(new TableEntity("budget", "b3") { ["Definition"] = definition, ["Tenant"] = "acme", ["Enabled"] = true });
        time.Advance(options.Value.BudgetRefreshInterval);
        await here.ForTenantAsync("acme", CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(["b1", "b2"], Ids(await here.ForTenantAsync("acme", CancellationToken.None)));

        // ... until the full refresh reads the table again.
        time.Advance(options.Value.BudgetFullRefreshInterval);
        await EventuallyAsync(async () => Ids(await here.ForTenantAsync("acme", CancellationToken.None)).SequenceEqual(["b1", "b2", "b3"]));
    }

    private static string[] Ids(Budget[] budgets) => [.. budgets.Select(b => b.Id)];

    /// <summary>Asks until <paramref name="condition"/> holds (the refresh runs in the background), failing after 10 s.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException("the condition did not hold within 10 s");
            await Task.Delay(20);
        }
    }
}
