using CostOps.Core.Budgets;

namespace CostOps.Core.Admission;

/// <summary>
/// The arithmetic of admission, exact in decimal. A budget's committed spend is its baseline (period spend that did not
/// come through admission, see <see cref="Baseline"/>) plus what admitted calls settled plus their open reservations;
/// a call fits when committed plus its worst-case cost is at most the limit.
/// </summary>
public static class AdmissionRules
{
    /// <summary>Whether a call costing <paramref name="costUsd"/> at worst keeps the budget within its limit.</summary>
    public static bool Fits(Budget budget, decimal committedUsd, decimal costUsd) => committedUsd + costUsd <= budget.LimitUsd;

    /// <summary>Whether a reroute budget answers with its cheaper model: the call would take spend past its warning percent.</summary>
    public static bool PassesRerouteThreshold(Budget budget, decimal committedUsd, decimal costUsd) =>
        budget.Action == BudgetAction.Reroute && committedUsd + costUsd > budget.LimitUsd * budget.WarningPercent / 100m;

    /// <summary>
    /// Period spend that did not come through admission: the stored period spend less what admitted calls had settled
    /// when it was read (settlement is recorded before the event is stored, so the settled figure read after the spend
    /// query covers every admitted call that query saw). Never negative.
    /// </summary>
    public static decimal Baseline(decimal periodSpendUsd, decimal settledUsdReadAfter) => Math.Max(0m, periodSpendUsd - settledUsdReadAfter);

    /// <summary>Worst-case usage of a call: its input and the most output it may produce.</summary>
    public static Pricing.UsageTokens WorstCase(long inputTokens, long maxOutputTokens, bool estimatedInput) =>
        new(inputTokens, maxOutputTokens, Estimated: estimatedInput);

    /// <summary>Whether a budget's scope covers a call (tag budgets never do: a call carries no tags before it is made).</summary>
    public static bool Covers(BudgetScope scope, string tenant, string? project, string? user, string? feature, string? provider, string model) =>
        !scope.HasTag
        && scope.Tenant == tenant
        && Matches(scope.Project, project) && Matches(scope.User, user) && Matches(scope.Feature, feature)
        && Matches(scope.Provider, provider) && Matches(scope.Model, model);

    private static bool Matches(string? wanted, string? actual) => wanted is null || wanted == actual;
}
