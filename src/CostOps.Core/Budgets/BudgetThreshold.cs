namespace CostOps.Core.Budgets;

/// <summary>One alert threshold: a percentage of the limit (1..1000) on actual or forecast spend.</summary>
public readonly record struct BudgetThreshold(int Percent, ThresholdKind Kind)
{
    public override string ToString() => $"{Percent}% {(Kind == ThresholdKind.Actual ? "actual" : "forecast")}";
}
