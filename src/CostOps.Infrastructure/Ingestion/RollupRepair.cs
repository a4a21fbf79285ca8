using System.Globalization;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>
/// The repair pass: finds the rollup slices that disagree with the deduplicated events (<c>rollups/mismatched_slices</c>)
/// and rebuilds them. Covers every crash window of the write path without a producer's retry: a crash (or a failed
/// refresh) between an insert and its rollup, between the hourly and the daily refresh, or in the middle of a re-price.
/// Run at host start-up and on a schedule over recent hours (<see cref="IngestionOptions.RepairLookbackHours"/>), and by
/// <c>reprice</c> over its whole range. Cheap when nothing is wrong: two grouped scans of the range, no writes.
/// </summary>
public sealed class RollupRepair(IClickHouse clickHouse, SqlCatalog catalog, SpendRollups rollups, TimeProvider time)
{
    /// <summary>Repairs the slices of the last <paramref name="lookback"/> (whole days, so the daily check sees whole days).</summary>
    public Task<int> RepairRecentAsync(TimeSpan lookback, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return RepairAsync(now - lookback, now.AddHours(1), tenant: null, cancellationToken);
    }

    /// <summary>
    /// The pass at host start-up: <see cref="RepairRecentAsync"/>, then the days before that window holding events
    /// ingested in the <paramref name="lookback"/> up to the newest ingestion (<c>rollups/late_ingested_days</c>). A
    /// crash between a live commit and its deferred rollup refresh leaves the slices of that commit's events stale, and
    /// an event reported days late lies outside the event-time window; without this its day stayed wrong until a
    /// <c>reprice</c> covered it. Returns how many slices were rebuilt.
    /// </summary>
    public async Task<int> RepairAtStartAsync(TimeSpan lookback, CancellationToken cancellationToken = default)
    {
        var repaired = await RepairRecentAsync(lookback, cancellationToken);
        // RepairAsync widens to whole days, so the recent pass covered every day from this one on.
        var covered = (time.GetUtcNow() - lookback).UtcDateTime.Date;
        var days = await clickHouse.QueryAsync(catalog.Get(SqlNames.Rollups.LateIngestedDays), "TSV", new QueryParameters
        {
            { "hours", (uint)Math.Ceiling(lookback.TotalHours) },
            { "before", new DateTimeOffset(covered, TimeSpan.Zero) },
        }, cancellationToken);
        foreach (var (from, to) in DayRanges(days.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                     .Select(d => DateTime.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture))))
            repaired += await RepairAsync(new DateTimeOffset(from, TimeSpan.Zero), new DateTimeOffset(to, TimeSpan.Zero), tenant: null, cancellationToken);
        return repaired;
    }

    /// <summary>Ascending days as [from, to) ranges of consecutive days: one mismatch query per run of days, not per day.</summary>
    internal static IEnumerable<(DateTime From, DateTime To)> DayRanges(IEnumerable<DateTime> ascendingDays)
    {
        DateTime? from = null, to = null;
        foreach (var day in ascendingDays)
        {
            if (to == day)
            {
                to = day.AddDays(1);
                continue;
            }
            if (from is { } f) yield return (f, to!.Value);
            (from, to) = (day, day.AddDays(1));
        }
        if (from is { } last) yield return (last, to!.Value);
    }

    /// <summary>Rebuilds every slice in [<paramref name="from"/>, <paramref name="to"/>) (widened to whole days) whose rollups are wrong; returns how many.</summary>
    public async Task<int> RepairAsync(DateTimeOffset from, DateTimeOffset to, string? tenant, CancellationToken cancellationToken = default)
    {
        // Slices a live commit marked are not wrong, only not refreshed yet: refreshed first, so what is counted as
        // repaired is what a crash or a failed refresh left. If that refresh fails, its slices stay marked and the
        // mismatch query below finds them anyway.
        try
        {
            await rollups.RefreshPendingAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
        }
        var start = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero);
        var end = new DateTimeOffset(to.UtcDateTime.Date, TimeSpan.Zero);
        if (end < to) end = end.AddDays(1);
        var rows = await clickHouse.QueryAsync(catalog.Get(SqlNames.Rollups.MismatchedSlices), "JSONCompactEachRow", new QueryParameters
        {
            { "from", start },
            { "to", end },
            { "tenant", tenant ?? "" },
        }, cancellationToken);
        var slices = new SpendSlices();
        var count = 0;
        foreach (var line in rows.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var row = System.Text.Json.JsonDocument.Parse(line);
            slices.Add(row.RootElement[0].GetString()!, DateTimeOffset.Parse(row.RootElement[1].GetString()!, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
            count++;
        }
        await rollups.RebuildAsync(slices, cancellationToken);
        return count;
    }
}
