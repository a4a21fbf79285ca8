using System.Globalization;

namespace CostOps.Core.Budgets;

/// <summary>
/// Period arithmetic in a budget's time zone. Boundaries are local midnights converted to UTC with the offset in
/// force at that local time, so a day across a DST change is 23 or 25 hours long and still starts at midnight.
/// Where midnight itself does not exist (zones that switch at 00:00) the period starts at the first local time
/// that does; where it exists twice, at the first.
/// Rolling N days: spend counts over the trailing N local days including today, and alert state re-arms every
/// N days (the key is the N-day cycle counted from 1970-01-01 in the zone), so a rolling budget alerts at most
/// once per threshold per N days.
/// </summary>
public static class BudgetPeriods
{
    private static readonly DateOnly Epoch = new(1970, 1, 1);

    /// <summary>The period of <paramref name="budget"/> that contains <paramref name="instant"/>.</summary>
    public static BudgetPeriod Current(Budget budget, DateTimeOffset instant)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(budget.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
        DateOnly start, end;
        string key;
        switch (budget.Period)
        {
            case PeriodKind.Daily:
                start = today;
                end = today.AddDays(1);
                key = "d" + start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                break;
            case PeriodKind.Weekly:
                start = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
                end = start.AddDays(7);
                var probe = start.ToDateTime(TimeOnly.MinValue);
                key = $"w{ISOWeek.GetYear(probe)}-W{ISOWeek.GetWeekOfYear(probe):00}";
                break;
            case PeriodKind.Month:
                start = new DateOnly(today.Year, today.Month, 1);
                end = start.AddMonths(1);
                key = "m" + start.ToString("yyyy-MM", CultureInfo.InvariantCulture);
                break;
            default:
                var n = Math.Max(1, budget.RollingDays);
                start = today.AddDays(-(n - 1));
                end = today.AddDays(1);
                var cycleStart = Epoch.AddDays((today.DayNumber - Epoch.DayNumber) / n * n);
                key = $"r{n}-" + cycleStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                break;
        }
        return new BudgetPeriod(LocalMidnightUtc(start, zone), LocalMidnightUtc(end, zone), key);
    }

    /// <summary>The UTC instant of local midnight at the start of <paramref name="date"/> in <paramref name="zone"/>.</summary>
    public static DateTimeOffset LocalMidnightUtc(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A skipped midnight: walk forward to the first local minute that exists (gaps are whole quarter hours).
        for (var i = 0; i < 16 && zone.IsInvalidTime(local); i++) local = local.AddMinutes(15);
        var offset = zone.IsAmbiguousTime(local)
            ? zone.GetAmbiguousTimeOffsets(local).Max()
            : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
