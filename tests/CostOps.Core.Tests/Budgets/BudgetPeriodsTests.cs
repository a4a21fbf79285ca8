using CostOps.Core.Budgets;

namespace CostOps.Core.Tests.Budgets;

[Trait("Category", "Calendar")]
public sealed class BudgetPeriodsTests
{
    private static Budget Make(PeriodKind kind, string zone = "UTC", int rollingDays = 0) => new()
    {
        Id = "b", Scope = new("acme"), Period = kind, TimeZone = zone, RollingDays = rollingDays, LimitUsd = 100m,
    };

    [Fact]
    public void Month_in_utc_runs_from_the_first_to_the_next_first()
    {
        var p = BudgetPeriods.Current(Make(PeriodKind.Month), DateTimeOffset.Parse("2026-11-28T13:00:00Z"));
        Assert.Equal(DateTimeOffset.Parse("2026-11-01T00:00:00Z"), p.Start);
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T00:00:00Z"), p.End);
        Assert.Equal("m2026-11", p.Key);
    }

    [Fact]
    public void Month_boundary_follows_the_budget_time_zone()
    {
        // 23:30 UTC on 30 November is already 1 December in Berlin.
        var p = BudgetPeriods.Current(Make(PeriodKind.Month, "Europe/Berlin"), DateTimeOffset.Parse("2026-11-30T23:30:00Z"));
        Assert.Equal("m2026-12", p.Key);
        Assert.Equal(DateTimeOffset.Parse("2026-11-30T23:00:00Z"), p.Start);
        Assert.Equal(DateTimeOffset.Parse("2026-12-31T23:00:00Z"), p.End);
    }

    [Fact]
    public void A_day_across_the_spring_forward_change_is_23_hours()
    {
        var p = BudgetPeriods.Current(Make(PeriodKind.Daily, "Europe/Berlin"), DateTimeOffset.Parse("2026-03-29T12:00:00Z"));
        Assert.Equal(DateTimeOffset.Parse("2026-03-28T23:00:00Z"), p.Start);
        Assert.Equal(DateTimeOffset.Parse("2026-03-29T22:00:00Z"), p.End);
        Assert.Equal(TimeSpan.FromHours(23), p.End - p.Start);
    }

    [Fact]
    public void A_day_across_the_fall_back_change_is_25_hours()
    {
        var p = BudgetPeriods.Current(Make(PeriodKind.Daily, "America/New_York"), DateTimeOffset.Parse("2026-11-01T15:00:00Z"));
        Assert.Equal(TimeSpan.FromHours(25), p.End - p.Start);
        Assert.Equal(DateTimeOffset.Parse("2026-11-01T04:00:00Z"), p.Start);
    }

    [Fact]
    public void A_skipped_local_midnight_starts_the_day_at_the_first_existing_time()
    {
        // Santiago springs forward at 00:00 local (to 01:00) on the first Sunday of September.
        var p = BudgetPeriods.Current(Make(PeriodKind.Daily, "America/Santiago"), DateTimeOffset.Parse("2026-09-06T15:00:00Z"));
        Assert.Equal(DateTimeOffset.Parse("2026-09-06T04:00:00Z"), p.Start);
        Assert.Equal("d2026-09-06", p.Key);
    }

    [Fact]
    public void Week_is_the_iso_week_starting_monday()
    {
        var p = BudgetPeriods.Current(Make(PeriodKind.Weekly), DateTimeOffset.Parse("2026-01-01T10:00:00Z"));
        Assert.Equal(DateTimeOffset.Parse("2025-12-29T00:00:00Z"), p.Start);
        Assert.Equal("w2026-W01", p.Key);
    }

    [Fact]
    public void Rolling_counts_trailing_days_and_keeps_one_key_per_cycle()
    {
        var budget = Make(PeriodKind.Rolling, rollingDays: 7);
        var a = BudgetPeriods.Current(budget, DateTimeOffset.Parse("2026-11-28T10:00:00Z"));
        Assert.Equal(DateTimeOffset.Parse("2026-11-22T00:00:00Z"), a.Start);
        Assert.Equal(DateTimeOffset.Parse("2026-11-29T00:00:00Z"), a.End);
        var keys = Enumerable.Range(0, 21).Select(d => BudgetPeriods.Current(budget, a.Start.AddDays(d)).Key).ToList();
        // Consecutive days share a key in runs of exactly 7 (except the partial runs at the edges).
        var runs = keys.Select((k, i) => (k, i)).GroupBy(x => x.k).Select(g => g.Count()).ToList();
        Assert.All(runs, r => Assert.True(r <= 7));
        Assert.Equal(7, runs[1]);
    }

    // Edges checked by hand against the IANA database (Python's zoneinfo), not against this code.

    [Fact]
    public void New_York_spring_forward_day_is_23_hours_and_its_month_changes_offset_midway()
    {
        var day = BudgetPeriods.Current(Make(PeriodKind.Daily, "America/New_York"), DateTimeOffset.Parse("2027-03-14T12:00:00Z"));
        Assert.Equal(DateTimeOffset.Parse("2027-03-14T05:00:00Z"), day.Start);
        Assert.Equal(DateTimeOffset.Parse("2027-03-15T04:00:00Z"), day.End);

        var month = BudgetPeriods.Current(Make(PeriodKind.Month, "America/New_York"), DateTimeOffset.Parse("2027-03-14T12:00:00Z"));
        Assert.Equal(DateTimeOffset.Parse("2027-03-01T05:00:00Z"), month.Start);
        Assert.Equal(DateTimeOffset.Parse("2027-04-01T04:00:00Z"), month.End);
        Assert.Equal("m2027-03", month.Key);
    }

    [Fact]
    public void Berlin_week_holding_the_fall_back_change_is_169_hours()
    {
        var week = BudgetPeriods.Current(Make(PeriodKind.Weekly, "Europe/Berlin"), DateTimeOffset.Parse("2027-10-31T01:30:00Z"));
        Assert.Equal(DateTimeOffset.Parse("2027-10-24T22:00:00Z"), week.Start);
        Assert.Equal(DateTimeOffset.Parse("2027-10-31T23:00:00Z"), week.End);
        Assert.Equal(TimeSpan.FromHours(169), week.End - week.Start);
        Assert.Equal("w2027-W43", week.Key);
    }

    [Theory]
    [InlineData("2026-12-31T12:00:00Z", "2026-12-28T00:00:00Z", "w2026-W53")] // 2026 has 53 ISO weeks
    [InlineData("2027-01-03T23:59:59Z", "2026-12-28T00:00:00Z", "w2026-W53")] // same week, next calendar year
    [InlineData("2027-01-04T00:00:00Z", "2027-01-04T00:00:00Z", "w2027-W01")]
    [InlineData("2028-01-01T00:20:00Z", "2027-12-27T00:00:00Z", "w2027-W52")]
    public void A_week_across_the_year_boundary_keeps_one_key(string instant, string start, string key)
    {
        var week = BudgetPeriods.Current(Make(PeriodKind.Weekly), DateTimeOffset.Parse(instant));
        Assert.Equal(DateTimeOffset.Parse(start), week.Start);
        Assert.Equal(TimeSpan.FromDays(7), week.End - week.Start);
        Assert.Equal(key, week.Key);
    }

    [Theory]
    [InlineData(7, "2028-02-29T12:00:00Z", "2028-02-23T00:00:00Z", "2028-03-01T00:00:00Z")]
    [InlineData(30, "2028-03-01T00:20:00Z", "2028-02-01T00:00:00Z", "2028-03-02T00:00:00Z")]
    [InlineData(366, "2028-12-31T23:40:00Z", "2028-01-01T00:00:00Z", "2029-01-01T00:00:00Z")]
    [InlineData(1, "2028-02-29T00:00:00Z", "2028-02-29T00:00:00Z", "2028-03-01T00:00:00Z")]
    public void Rolling_periods_count_the_leap_day_as_a_day(int days, string instant, string start, string end)
    {
        var period = BudgetPeriods.Current(Make(PeriodKind.Rolling, rollingDays: days), DateTimeOffset.Parse(instant));
        Assert.Equal(DateTimeOffset.Parse(start), period.Start);
        Assert.Equal(DateTimeOffset.Parse(end), period.End);
        Assert.Equal(TimeSpan.FromDays(days), period.End - period.Start);
    }

    [Fact]
    public void February_of_a_leap_year_ends_after_the_29th()
    {
        var month = BudgetPeriods.Current(Make(PeriodKind.Month), DateTimeOffset.Parse("2028-02-29T12:00:00Z"));
        Assert.Equal(DateTimeOffset.Parse("2028-02-01T00:00:00Z"), month.Start);
        Assert.Equal(DateTimeOffset.Parse("2028-03-01T00:00:00Z"), month.End);
        Assert.Equal("m2028-02", month.Key);
    }
}
