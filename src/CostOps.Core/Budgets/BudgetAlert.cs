namespace CostOps.Core.Budgets;

/// <summary>An alert to send: a threshold of a budget crossed in a period, with the numbers that crossed it.</summary>
public sealed record BudgetAlert
{
    public required string BudgetId { get; init; }
    public required BudgetScope Scope { get; init; }
    public required PeriodKind PeriodKind { get; init; }
    public required string TimeZone { get; init; }
    public required BudgetPeriod Period { get; init; }
    public required int Threshold { get; init; }
    public required ThresholdKind Kind { get; init; }
    public required decimal LimitUsd { get; init; }
    public required decimal SpendUsd { get; init; }
    public required decimal ForecastUsd { get; init; }

    /// <summary>The part of <see cref="SpendUsd"/> estimated for models without a price (docs/pricing.md, unknown models).</summary>
    public decimal EstimatedSpendUsd { get; init; }

    /// <summary>Actual spend in percent of the limit (two places).</summary>
    public required decimal Percent { get; init; }

    public required DateTimeOffset FiredAt { get; init; }

    /// <summary>Stable per (budget, period, threshold, kind, limit): the same alert always has the same id.</summary>
    public string AlertId => AlertIdentity.IdempotencyKey(BudgetId, Period.Key, Threshold, Kind, LimitUsd);

    /// <summary>Readable key of the alert within its budget: <c>{period}_{kind}_{threshold}_{limit}</c>.</summary>
    public string Key => AlertIdentity.Key(Period.Key, Threshold, Kind, LimitUsd);

    /// <summary>One line for chat messages and link previews.</summary>
    public string Summary =>
        $"Budget '{BudgetId}' ({Scope}) crossed {Threshold}% of {Usd(LimitUsd)} on {BudgetDefinition.KindName(Kind)} spend " +
        $"in period {Period.Key}: spent {Usd(SpendUsd)} ({Percent.ToString(System.Globalization.CultureInfo.InvariantCulture)}%), " +
        $"forecast {Usd(ForecastUsd)} by {Period.End:yyyy-MM-dd HH:mm} UTC." +
        (EstimatedSpendUsd > 0 ? $" Of the spend, {Usd(EstimatedSpendUsd)} is estimated for models without a price: add their prices." : "");

    private static string Usd(decimal v) => "$" + decimal.Round(v, 2).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
