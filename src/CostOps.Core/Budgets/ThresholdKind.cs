namespace CostOps.Core.Budgets;

/// <summary>What a threshold is compared with: spend so far in the period, or the forecast to the period's end.</summary>
public enum ThresholdKind
{
    Actual,
    Forecast,
}
