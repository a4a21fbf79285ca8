using CostOps.Core.Budgets;

namespace CostOps.Core.Tests.Budgets;

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
}
