namespace CostOps.Core.Budgets;

/// <summary>
/// A spend limit for a scope over a period, with the thresholds that alert and where alerts go.
/// Build it through <see cref="BudgetDefinition"/> (which validates); the record itself trusts its values.
/// </summary>
public sealed record Budget
{
    /// <summary>The thresholds a budget gets when none are given: 50, 80 and 100 % of actual spend.</summary>
    public static IReadOnlyList<BudgetThreshold> DefaultThresholds { get; } =
    [
        new(50, ThresholdKind.Actual), new(80, ThresholdKind.Actual), new(100, ThresholdKind.Actual),
    ];

    public required string Id { get; init; }

    public required BudgetScope Scope { get; init; }

    public PeriodKind Period { get; init; } = PeriodKind.Month;

    /// <summary>Length of a <see cref="PeriodKind.Rolling"/> period in days; 0 for the other kinds.</summary>
    public int RollingDays { get; init; }

    /// <summary>IANA time zone the period is cut in (e.g. <c>Europe/Berlin</c>).</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The limit in USD, greater than zero.</summary>
    public required decimal LimitUsd { get; init; }

    public IReadOnlyList<BudgetThreshold> Thresholds { get; init; } = DefaultThresholds;

    public BudgetChannels Channels { get; init; } = BudgetChannels.None;

    public bool Enabled { get; init; } = true;

    /// <summary>Whether admission enforces the budget (block, reroute) or it only alerts (the default).</summary>
    public BudgetAction Action { get; init; } = BudgetAction.Alert;

    /// <summary>The model a <see cref="BudgetAction.Reroute"/> budget answers with; null takes the project's routing recommendation.</summary>
    public string? RerouteModel { get; init; }

    /// <summary>Admission consults only enabled budgets that block or reroute.</summary>
    public bool Enforces => Enabled && Action != BudgetAction.Alert;

    /// <summary>The percent of the limit at which a budget turns to warning (and a reroute budget starts rerouting).</summary>
    public int WarningPercent => Thresholds.Where(t => t.Kind == ThresholdKind.Actual && t.Percent < 100).Select(t => (int?)t.Percent).Min() ?? 80;
}
