namespace CostOps.Core.Budgets;

/// <summary>
/// Which alerts an evaluation fires. The rule, in full:
/// <list type="bullet">
/// <item>A threshold (p %, kind) is crossed when the measured value (spend for <c>actual</c>, forecast for
/// <c>forecast</c>) is at least <c>limit × p / 100</c>.</item>
/// <item>A crossed threshold fires unless (p, kind, limit) is already in the period's sent set: each
/// (budget, period, threshold, kind, limit) fires at most once. Several thresholds crossed at once all fire.</item>
/// <item>Rollover: a new period has a new key and an empty sent set, so everything re-arms.</item>
/// <item>A limit changed mid-period: the sent set keeps the limit each alert was measured against. Against the new
/// limit, thresholds are evaluated afresh and fire once each; alerts already sent for that same limit (e.g. the
/// limit was changed and then changed back) are never sent again. Raising 500 → 1000 with $450 spent fires
/// nothing new until $500 (50 % of 1000); lowering 1000 → 500 with $450 spent fires 50 % and 80 % of 500 at once.</item>
/// </list>
/// Pure: no clock, no I/O.
/// </summary>
public static class AlertDecider
{
    public static IReadOnlyList<BudgetAlert> Decide(
        Budget budget, BudgetPeriod period, decimal spendUsd, decimal forecastUsd,
        IReadOnlySet<SentAlert> sent, DateTimeOffset now)
    {
        var alerts = new List<BudgetAlert>();
        foreach (var t in budget.Thresholds.OrderBy(t => t.Kind).ThenBy(t => t.Percent))
        {
            var measured = t.Kind == ThresholdKind.Actual ? spendUsd : forecastUsd;
            if (measured < budget.LimitUsd * t.Percent / 100m) continue;
            if (sent.Contains(new SentAlert(t.Percent, t.Kind, budget.LimitUsd))) continue;
            alerts.Add(new BudgetAlert
            {
                BudgetId = budget.Id,
                Scope = budget.Scope,
                PeriodKind = budget.Period,
                TimeZone = budget.TimeZone,
                Period = period,
                Threshold = t.Percent,
                Kind = t.Kind,
                LimitUsd = Money.Normalize(budget.LimitUsd),
                SpendUsd = spendUsd,
                ForecastUsd = forecastUsd,
                Percent = Money.Percent(spendUsd, budget.LimitUsd),
                FiredAt = now,
            });
        }
        return alerts;
    }
}
