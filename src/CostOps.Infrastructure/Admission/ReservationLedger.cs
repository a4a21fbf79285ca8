using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using CostOps.Core.Admission;
using CostOps.Infrastructure.Tables;

namespace CostOps.Infrastructure.Admission;

/// <summary>
/// Reservations and per-budget, per-period counters in the <c>admission</c> table, exact across instances. Partition =
/// budget id; the counter row (<c>c|{period}</c>) and each reservation row (<c>r|{request id}</c>) of a budget share it,
/// so reserving (counter update + reservation insert) and settling (counter update + reservation delete) are each one
/// entity-group transaction: atomic, and conditional on the counter's ETag. A transaction that loses to another
/// instance (412) re-reads the counter and decides again. In one process, writes to one counter are serialised, so
/// concurrent callers here do not make each other retry; counters and their ETags are kept in memory between calls.
/// </summary>
public sealed class ReservationLedger(TableStorage tables, TimeProvider time)
{
    private sealed record Cached(BudgetCounter Counter, ETag? ETag);

    private readonly ConcurrentDictionary<(string Budget, string Period), Cached> _counters = new();
    private readonly ConcurrentDictionary<(string Budget, string Period), SemaphoreSlim> _gates = new();

    private TableClient Table => tables.Table(TableNames.Admission);

    /// <summary>A reservation as stored in one budget's partition.</summary>
    public sealed record Reservation(string BudgetId, string RequestId, string PeriodKey, long Bucket, decimal ReservedUsd, string Model, ETag ETag);

    public enum ReserveStatus { Reserved, Denied, Duplicate }

    /// <summary>The outcome: <paramref name="CommittedUsd"/> is the budget's committed spend the decision was taken on (before this call).</summary>
    public sealed record ReserveOutcome(ReserveStatus Status, decimal CommittedUsd);

    /// <summary>
    /// Reserves <paramref name="amountUsd"/> on the budget's counter for the period if <paramref name="fits"/> says the
    /// committed spend (baseline + settled + open) leaves room. A refusal is always taken on a counter read from the
    /// table in this call, never on a cached one, so no call is denied for a reservation another instance has since released.
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
            while (true)
            {
                var now = time.GetUtcNow();
                var committed = baselineUsd + cached.Counter.CommittedUsd(now);
                if (!fits(committed))
                {
                    if (fresh) return new ReserveOutcome(ReserveStatus.Denied, committed);
                    cached = await ReadCounterAsync(budgetId, periodKey, cancellationToken);
                    fresh = true;
                    continue;
                }
                var next = cached.Counter.Reserve(bucket, amountUsd, now);
                TableTransactionAction[] actions =
                [
                    CounterWrite(budgetId, periodKey, next, cached.ETag),
                    new(TableTransactionActionType.Add, ReservationEntity(budgetId, periodKey, requestId, tenant, model, amountUsd, bucket)),
                ];
                try
                {
                    var response = await Table.SubmitTransactionAsync(actions, cancellationToken);
                    _counters[key] = new Cached(next, response.Value[0].Headers.ETag);
                    return new ReserveOutcome(ReserveStatus.Reserved, committed);
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    // Another instance wrote the counter first (or created it): decide again on what it wrote. When the
                    // counter is as this call saw it, the conflict was the reservation row: the request id holds one already.
                    var tried = cached.ETag;
                    cached = await ReadCounterAsync(budgetId, periodKey, cancellationToken);
                    fresh = true;
                    if (e.Status == 409 && cached.ETag == tried) return new ReserveOutcome(ReserveStatus.Duplicate, committed);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The reservation a request holds on a budget, or null.</summary>
    public async Task<Reservation?> FindAsync(string budgetId, string requestId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(budgetId, ReservationKey(requestId), cancellationToken: cancellationToken);
        if (!response.HasValue) return null;
        var e = response.Value!;
        return new Reservation(budgetId, requestId, e.GetString("PeriodKey"), e.GetInt64("Bucket") ?? 0, ParseMoney(e.GetString("ReservedUsd")),
            e.GetString("Model") ?? "", e.ETag);
    }

    /// <summary>
    /// Closes a reservation, charging <paramref name="actualUsd"/> and releasing the rest; false when it was closed
    /// already (by another settlement or instance): the reservation row is deleted in the same transaction, so each
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
                TableTransactionAction[] actions =
                [
                    CounterWrite(reservation.BudgetId, reservation.PeriodKey, next, cached.ETag),
                    new(TableTransactionActionType.Delete, new TableEntity(reservation.BudgetId, ReservationKey(reservation.RequestId)), reservation.ETag),
                ];
                try
                {
                    var response = await Table.SubmitTransactionAsync(actions, cancellationToken);
                    _counters[key] = new Cached(next, response.Value[0].Headers.ETag);
                    return true;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
                {
                    // The counter moved on (retry on what it is now), or, with the counter as this call saw it, the
                    // reservation row is gone or changed: closed by someone else.
                    var tried = cached.ETag;
                    cached = await ReadCounterAsync(reservation.BudgetId, reservation.PeriodKey, cancellationToken);
                    if (cached.ETag == tried) return false;
                }
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

    private async Task<Cached> ReadCounterAsync(string budgetId, string periodKey, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(budgetId, CounterKey(periodKey), cancellationToken: cancellationToken);
        var cached = response.HasValue
            ? new Cached(new BudgetCounter(ParseMoney(response.Value!.GetString("SettledUsd")), ParseOpen(response.Value.GetString("Open"))), response.Value.ETag)
            : new Cached(BudgetCounter.Empty, null);
        _counters[(budgetId, periodKey)] = cached;
        return cached;
    }

    // A counter never written is added (409 when another instance added it first); an existing one is replaced if unchanged.
    private static TableTransactionAction CounterWrite(string budgetId, string periodKey, BudgetCounter counter, ETag? etag)
    {
        var entity = new TableEntity(budgetId, CounterKey(periodKey))
        {
            ["SettledUsd"] = Text(counter.SettledUsd),
            ["Open"] = string.Join(';', counter.OpenByBucket.Select(b => b.Key.ToString(CultureInfo.InvariantCulture) + "=" + Text(b.Value))),
        };
        return etag is { } tag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, tag)
            : new TableTransactionAction(TableTransactionActionType.Add, entity);
    }

    private static TableEntity ReservationEntity(string budgetId, string periodKey, string requestId, string tenant, string model, decimal amountUsd, long bucket) =>
        new(budgetId, ReservationKey(requestId))
        {
            ["Tenant"] = tenant,
            ["PeriodKey"] = periodKey,
            ["Bucket"] = bucket,
            ["ReservedUsd"] = Text(amountUsd),
            ["Model"] = model,
            ["ExpiresAt"] = BudgetCounter.ExpiresAt(bucket),
        };

    private static ImmutableSortedDictionary<long, decimal> ParseOpen(string? text)
    {
        var open = ImmutableSortedDictionary.CreateBuilder<long, decimal>();
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            open[long.Parse(part[..eq], CultureInfo.InvariantCulture)] = ParseMoney(part[(eq + 1)..]);
        }
        return open.ToImmutable();
    }

    private static string CounterKey(string periodKey) => "c|" + periodKey;

    /// <summary>Row key of a request's reservation; Azure Tables refuses / \ # ? and control characters in keys, so they are escaped.</summary>
    public static string ReservationKey(string requestId)
    {
        var builder = new StringBuilder(requestId.Length + 2).Append("r|");
        foreach (var c in requestId)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c)) builder.Append('%').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.ToString();
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal ParseMoney(string? text) => string.IsNullOrEmpty(text) ? 0m : decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
