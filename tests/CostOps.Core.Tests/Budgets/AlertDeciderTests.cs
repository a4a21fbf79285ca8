using CostOps.Core.Budgets;

namespace CostOps.Core.Tests.Budgets;

public sealed class AlertDeciderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-15T12:00:00Z");
    private static readonly BudgetPeriod Period = new(DateTimeOffset.Parse("2026-11-01T00:00:00Z"), DateTimeOffset.Parse("2026-12-01T00:00:00Z"), "m2026-11");

    private static Budget Make(decimal limit, params BudgetThreshold[] thresholds) => new()
    {
        Id = "b", Scope = new("acme"), LimitUsd = limit,
        Thresholds = thresholds.Length == 0 ? Budget.DefaultThresholds : thresholds,
    };

    private static HashSet<SentAlert> Sent(IEnumerable<BudgetAlert> alerts) =>
        alerts.Select(a => new SentAlert(a.Threshold, a.Kind, a.LimitUsd)).ToHashSet();

    [Fact]
    public void Crossing_thresholds_in_steps_fires_each_once()
    {
        var budget = Make(500m);
        var sent = new HashSet<SentAlert>();
        var fired = new List<int>();
        foreach (var spend in new[] { 100m, 250m, 260m, 400m, 450m, 500m, 900m })
        {
            var alerts = AlertDecider.Decide(budget, Period, spend, spend, sent, Now);
            fired.AddRange(alerts.Select(a => a.Threshold));
            sent.UnionWith(Sent(alerts));
        }
        Assert.Equal([50, 80, 100], fired);
    }

    [Fact]
    public void Jumping_past_several_thresholds_fires_all_of_them_at_once()
    {
        var alerts = AlertDecider.Decide(Make(100m), Period, 120m, 120m, new HashSet<SentAlert>(), Now);
        Assert.Equal([50, 80, 100], alerts.Select(a => a.Threshold));
        Assert.Equal(120m, alerts[0].Percent);
    }

    [Fact]
    public void Forecast_thresholds_compare_the_forecast_not_the_spend()
    {
        var budget = Make(100m, new BudgetThreshold(100, ThresholdKind.Forecast), new BudgetThreshold(100, ThresholdKind.Actual));
        var alerts = AlertDecider.Decide(budget, Period, 40m, 130m, new HashSet<SentAlert>(), Now);
        var only = Assert.Single(alerts);
        Assert.Equal(ThresholdKind.Forecast, only.Kind);
    }

    [Fact]
    public void Raising_the_limit_does_not_resend_and_fires_against_the_new_limit_later()
    {
        var sent = Sent(AlertDecider.Decide(Make(500m), Period, 450m, 450m, new HashSet<SentAlert>(), Now));
        Assert.Equal(2, sent.Count); // 50 and 80 of 500

        Assert.Empty(AlertDecider.Decide(Make(1000m), Period, 450m, 450m, sent, Now));
        var later = AlertDecider.Decide(Make(1000m), Period, 500m, 500m, sent, Now);
        Assert.Equal(50, Assert.Single(later).Threshold);
        Assert.Equal(1000m, later[0].LimitUsd);
    }

    [Fact]
    public void Lowering_the_limit_fires_what_the_new_limit_has_crossed()
    {
        var sent = Sent(AlertDecider.Decide(Make(1000m), Period, 450m, 450m, new HashSet<SentAlert>(), Now));
        Assert.Empty(sent);
        var alerts = AlertDecider.Decide(Make(500m), Period, 450m, 450m, sent, Now);
        Assert.Equal([50, 80], alerts.Select(a => a.Threshold));
    }

    [Fact]
    public void Changing_the_limit_back_never_resends_what_was_sent_for_it()
    {
        var sent = Sent(AlertDecider.Decide(Make(500m), Period, 450m, 450m, new HashSet<SentAlert>(), Now));
        sent.UnionWith(Sent(AlertDecider.Decide(Make(600m), Period, 450m, 450m, sent, Now)));
        Assert.Empty(AlertDecider.Decide(Make(500.00m), Period, 450m, 450m, sent, Now));
    }

    [Fact]
    public void The_alert_id_is_stable_and_differs_per_period_threshold_kind_and_limit()
    {
        var a = AlertIdentity.IdempotencyKey("b", "m2026-11", 80, ThresholdKind.Actual, 500m);
        Assert.Equal(a, AlertIdentity.IdempotencyKey("b", "m2026-11", 80, ThresholdKind.Actual, 500.000m));
        Assert.NotEqual(a, AlertIdentity.IdempotencyKey("b", "m2026-12", 80, ThresholdKind.Actual, 500m));
        Assert.NotEqual(a, AlertIdentity.IdempotencyKey("b", "m2026-11", 80, ThresholdKind.Forecast, 500m));
        Assert.NotEqual(a, AlertIdentity.IdempotencyKey("b", "m2026-11", 80, ThresholdKind.Actual, 600m));
        Assert.Matches("^al_[0-9a-f]{32}$", a);
    }
}
