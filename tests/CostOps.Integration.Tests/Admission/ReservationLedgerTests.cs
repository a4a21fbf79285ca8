using System.Collections.Concurrent;
using CostOps.Infrastructure.Admission;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Admission;

/// <summary>
/// Both reservation ledgers (the admission table on real Azurite, and a real redis-server), with two ledgers standing
/// for two instances (each with its own in-memory counters and versions) on the same store: reservations and
/// settlements race on one counter.
/// </summary>
public sealed class ReservationLedgerTests
{
    public static TheoryData<string> Ledgers => ["tables", "redis"];

    private static async Task<ReservationLedger[]> TwoInstancesAsync(string ledger, TimeProvider time)
    {
        await TestEnvironment.AzuriteAsync();
        var tables = new TableStorage(new TableStorageOptions { ConnectionString = TestEnvironment.TablesConnectionString, TablePrefix = TestEnvironment.UniqueName("l") });
        await tables.EnsureTablesAsync();
        if (ledger == "tables") return [new TableReservationLedger(tables, time), new TableReservationLedger(tables, time)];
        var redis = await TestEnvironment.RedisAsync();
        return [new RedisReservationLedger(redis.Configuration, tables, time), new RedisReservationLedger(redis.Configuration, tables, time)];
    }

    [Theory]
    [MemberData(nameof(Ledgers))]
    public async Task Two_instances_reserving_and_settling_on_one_counter_admit_exactly_what_fits(string ledgerKind)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var instances = await TwoInstancesAsync(ledgerKind, time);
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

    [Theory]
    [MemberData(nameof(Ledgers))]
    public async Task A_reservation_is_made_once_settled_once_and_stops_counting_when_it_expires(string ledgerKind)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var (a, b) = await TwoInstancesAsync(ledgerKind, time) is [var first, var second] ? (first, second) : throw new InvalidOperationException();
        const string budget = "b2", period = "d2026-12-01";
        var ttl = TimeSpan.FromMinutes(10);
        Task<ReservationLedger.ReserveOutcome> Reserve(ReservationLedger ledger, string id, decimal usd) =>
            ledger.TryReserveAsync(budget, period, id, "t", "gpt-4o", usd, Core.Admission.BudgetCounter.ExpiryBucket(time.GetUtcNow(), ttl), 0m,
                committed => committed + usd <= 1.00m, CancellationToken.None);

        Assert.Equal(ReservationLedger.ReserveStatus.Reserved, (await Reserve(a, "r1", 0.5m)).Status);
        // The same request id again, from either instance: nothing reserved twice.
        Assert.Equal(ReservationLedger.ReserveStatus.Duplicate, (await Reserve(b, "r1", 0.5m)).Status);
        Assert.Equal(ReservationLedger.ReserveStatus.Duplicate, (await Reserve(a, "r1", 0.5m)).Status);
        Assert.Equal(0.5m, (await a.ReadAsync(budget, period, CancellationToken.None)).ReservedUsd(time.GetUtcNow()));
        // $0.50 open + $0.60 would cross $1.00: refused on the counter as stored.
        var refused = await Reserve(b, "r2", 0.6m);
        Assert.Equal((ReservationLedger.ReserveStatus.Denied, 0.5m), (refused.Status, refused.CommittedUsd));
        // A retry of r1 while the budget has no room for it again is still a duplicate, not a refusal.
        Assert.Equal(ReservationLedger.ReserveStatus.Duplicate, (await Reserve(b, "r1", 0.6m)).Status);

        // Settled by the other instance at $0.20: charged once, the rest released; a second settlement finds it closed.
        var r1 = await b.FindAsync(budget, "r1", CancellationToken.None) ?? throw new Xunit.Sdk.XunitException("r1 not found");
        Assert.Equal((0.5m, "gpt-4o", period), (r1.ReservedUsd, r1.Model, r1.PeriodKey));
        Assert.True(await b.SettleAsync(r1, 0.2m, CancellationToken.None));
        Assert.False(await a.SettleAsync(r1, 0.2m, CancellationToken.None));
        Assert.Null(await a.FindAsync(budget, "r1", CancellationToken.None));
        var settled = await a.ReadAsync(budget, period, CancellationToken.None);
        Assert.Equal((0.2m, 0m), (settled.SettledUsd, settled.ReservedUsd(time.GetUtcNow())));

        // An unsettled reservation counts until its minute has passed, then stops counting without a sweep.
        Assert.Equal(ReservationLedger.ReserveStatus.Reserved, (await Reserve(a, "r3", 0.7m)).Status);
        Assert.Equal(ReservationLedger.ReserveStatus.Denied, (await Reserve(b, "r4", 0.8m)).Status);
        time.Advance(ttl + TimeSpan.FromMinutes(1));
        var after = await Reserve(b, "r4", 0.8m);
        Assert.Equal((ReservationLedger.ReserveStatus.Reserved, 0.2m), (after.Status, after.CommittedUsd));
    }
}
