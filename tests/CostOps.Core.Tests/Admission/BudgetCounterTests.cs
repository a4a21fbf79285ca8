using CostOps.Core.Admission;
using CostOps.Core.Budgets;

namespace CostOps.Core.Tests.Admission;

public sealed class BudgetCounterTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 0, 20, 30, TimeSpan.Zero);

    [Fact]
    public void A_reservation_counts_until_the_minute_after_its_ttl_then_stops_by_itself()
    {
        var bucket = BudgetCounter.ExpiryBucket(Now, TimeSpan.FromMinutes(10));
        Assert.Equal(new DateTimeOffset(2027, 3, 1, 0, 31, 0, TimeSpan.Zero), BudgetCounter.ExpiresAt(bucket));
        var counter = BudgetCounter.Empty.Reserve(bucket, 0.0075m, Now);
        Assert.Equal(0.0075m, counter.ReservedUsd(Now.AddMinutes(10)));
        Assert.Equal(0m, counter.ReservedUsd(new DateTimeOffset(2027, 3, 1, 0, 31, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Settling_charges_the_actual_cost_and_releases_the_rest()
    {
        var bucket = BudgetCounter.ExpiryBucket(Now, TimeSpan.FromMinutes(10));
        var counter = BudgetCounter.Empty.Reserve(bucket, 0.0075m, Now).Reserve(bucket, 0.0075m, Now);
        counter = counter.Settle(bucket, 0.0075m, 0.0031m, Now);
        Assert.Equal(0.0031m, counter.SettledUsd);
        Assert.Equal(0.0075m, counter.ReservedUsd(Now));
        Assert.Equal(0.0106m, counter.CommittedUsd(Now));
        counter = counter.Settle(bucket, 0.0075m, 0m, Now);
        Assert.Empty(counter.OpenByBucket);
    }

    [Fact]
    public void A_settlement_after_expiry_still_charges_and_releases_nothing_twice()
    {
        var bucket = BudgetCounter.ExpiryBucket(Now, TimeSpan.FromMinutes(1));
        var counter = BudgetCounter.Empty.Reserve(bucket, 0.5m, Now);
        var later = Now.AddHours(1);
        counter = counter.Reserve(BudgetCounter.ExpiryBucket(later, TimeSpan.FromMinutes(1)), 0.25m, later);
        counter = counter.Settle(bucket, 0.5m, 0.4m, later);
        Assert.Equal(0.4m, counter.SettledUsd);
        Assert.Equal(0.25m, counter.ReservedUsd(later));
    }

    [Fact]
    public void The_133rd_call_of_0_0075_fits_a_dollar_and_the_134th_does_not()
    {
        var budget = new Budget { Id = "b", Scope = new BudgetScope("t"), LimitUsd = 1.00m, Action = BudgetAction.Block };
        Assert.True(AdmissionRules.Fits(budget, 132 * 0.0075m, 0.0075m));
        Assert.False(AdmissionRules.Fits(budget, 133 * 0.0075m, 0.0075m));
    }

    [Fact]
    public void Baseline_is_the_spend_that_did_not_come_through_admission_and_never_negative()
    {
        Assert.Equal(0.25m, AdmissionRules.Baseline(1.25m, 1.00m));
        Assert.Equal(0m, AdmissionRules.Baseline(0.90m, 1.00m));
    }

    [Fact]
    public void A_reroute_budget_reroutes_past_its_warning_percent()
    {
        var budget = new Budget
        {
            Id = "b", Scope = new BudgetScope("t"), LimitUsd = 10m, Action = BudgetAction.Reroute,
            Thresholds = [new(80, ThresholdKind.Actual), new(100, ThresholdKind.Actual)],
        };
        Assert.False(AdmissionRules.PassesRerouteThreshold(budget, 7m, 1m));
        Assert.True(AdmissionRules.PassesRerouteThreshold(budget, 7.5m, 1m));
        Assert.False(AdmissionRules.PassesRerouteThreshold(budget with { Action = BudgetAction.Block }, 7.5m, 1m));
    }

    [Fact]
    public void Scope_matching_ignores_tag_budgets_and_checks_each_named_dimension()
    {
        Assert.True(AdmissionRules.Covers(new BudgetScope("t", Project: "p"), "t", "p", null, null, null, "gpt-4o"));
        Assert.False(AdmissionRules.Covers(new BudgetScope("t", Project: "p"), "t", "q", null, null, null, "gpt-4o"));
        Assert.False(AdmissionRules.Covers(new BudgetScope("t", TagKey: "k", TagValue: "v"), "t", null, null, null, null, "gpt-4o"));
        Assert.False(AdmissionRules.Covers(new BudgetScope("u"), "t", null, null, null, null, "gpt-4o"));
    }
}
