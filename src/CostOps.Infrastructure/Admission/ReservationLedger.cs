using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using CostOps.Core.Admission;

namespace CostOps.Infrastructure.Admission;

/// <summary>
/// Reservations and per-budget, per-period counters, exact across instances. Each store keeps, per budget, one counter
/// per period and one row per open reservation, and offers two atomic writes, each conditional on the counter's version:
/// reserve (counter update + reservation insert) and settle (counter update + reservation delete). A write that loses to
/// another instance decides again on the counter as stored. In one process, writes to one counter are serialised, so
/// concurrent callers here do not make each other retry; counters and their versions are kept in memory between calls.
/// The decisions are taken here, once, for both stores: Azure Tables (<see cref="TableReservationLedger"/>, the default)
/// and Redis (<see cref="RedisReservationLedger"/>, <c>Admission:Redis</c>); docs/budgets.md compares them.
/// </summary>
public abstract class ReservationLedger(TimeProvider time)
{
    /// <summary>A counter as stored, with the version its conditional write must match (null: never written).</summary>
    protected sealed record Stored(BudgetCounter Counter, string? Version);

    /// <summary>A conditional write's outcome; on <see cref="WriteStatus.Conflict"/>, <see cref="Counter"/> is the counter as stored now.</summary>
    protected sealed record WriteOutcome(WriteStatus Status, Stored Counter);

    /// <summary>
    /// Written; Conflict: the counter had moved on; RowConflict: the counter was as expected but the reservation row
    /// was not (reserve: the request id holds one already; settle: closed by someone else).
    /// </summary>
    protected enum WriteStatus { Written, Conflict, RowConflict }

    private readonly ConcurrentDictionary<(string Budget, string Period), Stored> _counters = new();
    private readonly ConcurrentDictionary<(string Budget, string Period), SemaphoreSlim> _gates = new();

    /// <summary>A reservation as stored in one budget's partition; <paramref name="Version"/> changes if it is closed and made again.</summary>
    public sealed record Reservation(string BudgetId, string RequestId, string PeriodKey, long Bucket, decimal ReservedUsd, string Model, string Version);

    /// <summary>What a reservation row holds when it is made.</summary>
    protected sealed record NewReservation(string BudgetId, string PeriodKey, string RequestId, string Tenant, string Model, decimal ReservedUsd, long Bucket);

    public enum ReserveStatus { Reserved, Denied, Duplicate }

    /// <summary>The outcome: <paramref name="CommittedUsd"/> is the budget's committed spend the decision was taken on (before this call).</summary>
    public sealed record ReserveOutcome(ReserveStatus Status, decimal CommittedUsd);

    /// <summary>
    /// Reserves <paramref name="amountUsd"/> on the budget's counter for the period if <paramref name="fits"/> says the
    /// committed spend (baseline + settled + open) leaves room. A refusal is always taken on a counter read from the
    /// store in this call, never on a cached one, so no call is denied for a reservation another instance has since released.
    /// </summary>
    public async Task<ReserveOutcome> TryReserveAsync(string budgetId, string periodKey, string requestId, string tenant, string model,
        decimal amountUsd, long bucket, decimal baselineUsd, Func<decimal, bool> fits, CancellationToken cancellationToken)
    {
        var key = (budgetId, periodKey);
        var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var fresh = false;
            if (!_counters.TryGetValue(key, out var cached))
            {
                cached = await ReadCounterAsync(budgetId, periodKey, cancellationToken);
                fresh = true;
            }
            var reservation = new NewReservation(budgetId, periodKey, requestId, tenant, model, amountUsd, bucket);
            while (true)
            {
                var now = time.GetUtcNow();
                var committed = baselineUsd + cached.Counter.CommittedUsd(now);
                if (!fits(committed))
                {
                    // A retry of a request that holds its reservation already gets the same answer, however full the budget is.
                    if (fresh) return await FindAsync(budgetId, requestId, cancellationToken) is null
                        ? new ReserveOutcome(ReserveStatus.Denied, committed)
                        : new ReserveOutcome(ReserveStatus.Duplicate, committed);
                    cached = await ReadCounterAsync(budgetId, periodKey, cancellationToken);
                    fresh = true;
                    continue;
                }
                var outcome = await WriteReserveAsync(cached, cached.Counter.Reserve(bucket, amountUsd, now), reservation, cancellationToken);
                _counters[key] = outcome.Counter;
                switch (outcome.Status)
                {
                    case WriteStatus.Written: return new ReserveOutcome(ReserveStatus.Reserved, committed);
                    case WriteStatus.RowConflict: return new ReserveOutcome(ReserveStatus.Duplicate, committed);
                }
                // Another instance wrote the counter first (or created it): decide again on what it wrote.
                cached = outcome.Counter;
                fresh = true;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The reservation a request holds on a budget, or null.</summary>
    public abstract Task<Reservation?> FindAsync(string budgetId, string requestId, CancellationToken cancellationToken);

    /// <summary>
    /// Closes a reservation, charging <paramref name="actualUsd"/> and releasing the rest; false when it was closed
    /// already (by another settlement or instance): the reservation row is deleted in the same write, so each
    /// reservation is charged once.
    /// </summary>
    public async Task<bool> SettleAsync(Reservation reservation, decimal actualUsd, CancellationToken cancellationToken)
    {
        var key = (reservation.BudgetId, reservation.PeriodKey);
        var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!_counters.TryGetValue(key, out var cached)) cached = await ReadCounterAsync(reservation.BudgetId, reservation.PeriodKey, cancellationToken);
            while (true)
            {
                var next = cached.Counter.Settle(reservation.Bucket, reservation.ReservedUsd, actualUsd, time.GetUtcNow());
                var outcome = await WriteSettleAsync(cached, next, reservation, cancellationToken);
                _counters[key] = outcome.Counter;
                switch (outcome.Status)
                {
                    case WriteStatus.Written: return true;
                    case WriteStatus.RowConflict: return false;
                }
                cached = outcome.Counter;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Settled plus open as this instance last saw them (0 when unseen): a hint, never a decision.</summary>
    public decimal CachedCommittedUsd(string budgetId, string periodKey, DateTimeOffset now) =>
        _counters.TryGetValue((budgetId, periodKey), out var cached) ? cached.Counter.CommittedUsd(now) : 0m;

    /// <summary>The counter as stored now (also refreshes the in-memory copy).</summary>
    public async Task<BudgetCounter> ReadAsync(string budgetId, string periodKey, CancellationToken cancellationToken) =>
        (await ReadCounterAsync(budgetId, periodKey, cancellationToken)).Counter;

    /// <summary>
    /// Many counters as stored now (each in-memory copy refreshed too), in the order asked: the baseline refresh reads
    /// every enforcing budget's. A store that can pipeline reads does (<see cref="ReadStoredManyAsync"/>).
    /// </summary>
    public async Task<BudgetCounter[]> ReadManyAsync(IReadOnlyList<(string BudgetId, string PeriodKey)> keys, CancellationToken cancellationToken)
    {
        var stored = await ReadStoredManyAsync(keys, cancellationToken);
        var counters = new BudgetCounter[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            _counters[keys[i]] = stored[i];
            counters[i] = stored[i].Counter;
        }
        return counters;
    }

    /// <summary>Reads the counters 16 at a time; a store whose reads pipeline on one connection overrides this.</summary>
    protected virtual async Task<Stored[]> ReadStoredManyAsync(IReadOnlyList<(string BudgetId, string PeriodKey)> keys, CancellationToken cancellationToken)
    {
        var stored = new Stored[keys.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, ct) => stored[i] = await ReadStoredAsync(keys[i].BudgetId, keys[i].PeriodKey, ct));
        return stored;
    }

    private async Task<Stored> ReadCounterAsync(string budgetId, string periodKey, CancellationToken cancellationToken)
    {
        var stored = await ReadStoredAsync(budgetId, periodKey, cancellationToken);
        _counters[(budgetId, periodKey)] = stored;
        return stored;
    }

    /// <summary>The counter as stored, or <see cref="BudgetCounter.Empty"/> with a null version when it was never written.</summary>
    protected abstract Task<Stored> ReadStoredAsync(string budgetId, string periodKey, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="next"/> over <paramref name="expected"/> and inserts the reservation row, both or neither.</summary>
    protected abstract Task<WriteOutcome> WriteReserveAsync(Stored expected, BudgetCounter next, NewReservation reservation, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="next"/> over <paramref name="expected"/> and deletes the reservation row (if unchanged), both or neither.</summary>
    protected abstract Task<WriteOutcome> WriteSettleAsync(Stored expected, BudgetCounter next, Reservation reservation, CancellationToken cancellationToken);

    /// <summary>The counter's open reservations as stored: "bucket=usd;bucket=usd".</summary>
    protected static string OpenText(BudgetCounter counter) =>
        string.Join(';', counter.OpenByBucket.Select(b => b.Key.ToString(CultureInfo.InvariantCulture) + "=" + MoneyText(b.Value)));

    protected static BudgetCounter ParseCounter(string? settledUsd, string? open)
    {
        var buckets = ImmutableSortedDictionary.CreateBuilder<long, decimal>();
        foreach (var part in (open ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            buckets[long.Parse(part[..eq], CultureInfo.InvariantCulture)] = ParseMoney(part[(eq + 1)..]);
        }
        return new BudgetCounter(ParseMoney(settledUsd), buckets.ToImmutable());
    }

    protected static string MoneyText(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    protected static decimal ParseMoney(string? text) => string.IsNullOrEmpty(text) ? 0m : decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
