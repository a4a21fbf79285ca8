using System.Collections.Concurrent;
using CostOps.Infrastructure.Admission;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Admission;

/// <summary>
/// The reservation ledger on real Azurite, with two ledgers standing for two instances (each with its own in-memory
/// counters and ETags) on the same table: reservations and settlements race on one counter row.
/// </summary>
public sealed class ReservationLedgerTests
{
    [Fact]
    public async Task Two_instances_reserving_and_settling_on_one_counter_admit_exactly_what_fits()
    {
        await TestEnvironment.AzuriteAsync();
        var tables = new TableStorage(new TableStorageOptions { ConnectionString = TestEnvironment.TablesConnectionString, TablePrefix = TestEnvironment.UniqueName("l") });
        await tables.EnsureTablesAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        ReservationLedger[] instances = [new(tables, time), new(tables, time)];
        const decimal limit = 1.00m, cost = 0.0075m;
        var bucket = Core.Admission.BudgetCounter.ExpiryBucket(time.GetUtcNow(), TimeSpan.FromMinutes(10));
        var admitted = new ConcurrentBag<string>();
        var denied = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 192), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        {
            var ledger = instances[i % 2];
            var id = $"req-{i}";
            var outcome = await ledger.TryReserveAsync("b1", "d2026-12-01", id, "t", "gpt-4o", cost, bucket, 0m, committed => committed + cost <= limit, ct);
            if (outcome.Status == ReservationLedger.ReserveStatus.Denied)
            {
                Interlocked.Increment(ref denied);
                return;
            }
            Assert.Equal(ReservationLedger.ReserveStatus.Reserved, outcome.Status);
            admitted.Add(id);
            var reservation = await instances[(i + 1) % 2].FindAsync("b1", id, ct) ?? throw new Xunit.Sdk.XunitException("reservation not found");
            Assert.True(await instances[(i + 1) % 2].SettleAsync(reservation, cost, ct));
        });
        Assert.Equal(133, admitted.Count);
        Assert.Equal(59, denied);
        var counter = await instances[0].ReadAsync("b1", "d2026-12-01", CancellationToken.None);
        Assert.Equal(0.9975m, counter.SettledUsd);
        Assert.Equal(0m, counter.ReservedUsd(time.GetUtcNow()));
    }
}
