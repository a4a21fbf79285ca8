using CostOps.Core.Budgets;
using CostOps.Infrastructure.Alerts;
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
    public async Task Two_workers_claiming_the_same_outbox_attempt_from_one_read_get_one_claim()
    {
        // Delivery relies on this: AlertOutbox.TryUpdateAsync is ETag-conditional, so the second claim from the same
        // version of the row loses and the attempt is sent once.
        var outbox = new AlertOutbox(fixture.Tables);
        var now = new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);
        var budget = Budgets.BudgetTestHost.Monthly("claim", "acme", 100m, "http://127.0.0.1:9/none", [new(50, ThresholdKind.Actual)]);
        var alert = Assert.Single(AlertDecider.Decide(budget, BudgetPeriods.Current(budget, now), 60m, 60m, new HashSet<SentAlert>(), now));
        Assert.True(await outbox.EnqueueAsync(alert, budget.Channels));
        var read = Assert.Single(await outbox.ListAsync("claim"));

        var claims = await Task.WhenAll(
            outbox.TryUpdateAsync(read with { Attempts = read.Attempts + 1, LastAttemptAt = now }),
            outbox.TryUpdateAsync(read with { Attempts = read.Attempts + 1, LastAttemptAt = now.AddSeconds(1) }));

        var won = Assert.Single(claims, c => c is not null);
        var stored = Assert.Single(await outbox.ListAsync("claim"));
        Assert.Equal(1, stored.Attempts);
        Assert.Equal(won!.LastAttemptAt, stored.LastAttemptAt);
        Assert.Null(await outbox.TryUpdateAsync(read with { Status = AlertStatuses.Failed })); // still stale afterwards
        Assert.Equal(AlertStatuses.Pending, (await outbox.ListAsync("claim"))[0].Status);
    }
}
