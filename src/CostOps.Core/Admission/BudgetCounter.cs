using System.Collections.Immutable;

namespace CostOps.Core.Admission;

/// <summary>
/// One enforcing budget's admission ledger for one period: what admitted calls have settled, and the open reservations
/// grouped by the minute they expire in (<see cref="ExpiryBucket"/>). A reservation counts until its bucket's minute
/// has passed, so expiry needs no sweep: an expired bucket simply stops counting and is dropped at the next write.
/// Immutable; every change returns a new counter, written back with the ETag it was read with.
/// </summary>
public sealed record BudgetCounter(decimal SettledUsd, ImmutableSortedDictionary<long, decimal> OpenByBucket)
{
    public static BudgetCounter Empty { get; } = new(0m, ImmutableSortedDictionary<long, decimal>.Empty);

    /// <summary>The bucket of a reservation made at <paramref name="now"/> that lives <paramref name="ttl"/>: the first whole minute at or after now + ttl.</summary>
    public static long ExpiryBucket(DateTimeOffset now, TimeSpan ttl)
    {
        var millis = (now + ttl).ToUnixTimeMilliseconds();
        return (millis + 59_999) / 60_000;
    }

    /// <summary>The instant reservations of <paramref name="bucket"/> stop counting.</summary>
    public static DateTimeOffset ExpiresAt(long bucket) => DateTimeOffset.FromUnixTimeSeconds(bucket * 60);

    /// <summary>Open reservations that still count at <paramref name="now"/>.</summary>
    public decimal ReservedUsd(DateTimeOffset now)
    {
        var sum = 0m;
        foreach (var (bucket, amount) in OpenByBucket)
        {
            if (ExpiresAt(bucket) > now) sum += amount;
        }
        return sum;
    }

    /// <summary>Settled plus open: what admission adds a new call's worst case to.</summary>
    public decimal CommittedUsd(DateTimeOffset now) => SettledUsd + ReservedUsd(now);

    public BudgetCounter Reserve(long bucket, decimal amount, DateTimeOffset now)
    {
        var open = Live(now);
        return this with { OpenByBucket = open.SetItem(bucket, open.GetValueOrDefault(bucket) + amount) };
    }

    /// <summary>
    /// Closes a reservation: its amount leaves its bucket (when the bucket still counts) and <paramref name="actualUsd"/>
    /// is charged. Releasing an unused reservation is settling it at 0.
    /// </summary>
    public BudgetCounter Settle(long bucket, decimal reservedUsd, decimal actualUsd, DateTimeOffset now)
    {
        var open = Live(now);
        if (open.TryGetValue(bucket, out var amount))
        {
            var left = amount - reservedUsd;
            open = left > 0m ? open.SetItem(bucket, left) : open.Remove(bucket);
        }
        return new BudgetCounter(SettledUsd + actualUsd, open);
    }

    private ImmutableSortedDictionary<long, decimal> Live(DateTimeOffset now)
    {
        var open = OpenByBucket;
        foreach (var bucket in OpenByBucket.Keys)
        {
            if (ExpiresAt(bucket) <= now) open = open.Remove(bucket);
        }
        return open;
    }
}
