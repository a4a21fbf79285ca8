namespace CostOps.Core.Budgets;

/// <summary>
/// An alert already sent in the current period: threshold, kind and the limit it was measured against.
/// The limit is part of the identity so a changed limit gets its own alerts (see <see cref="AlertDecider"/>).
/// </summary>
public readonly record struct SentAlert
{
    public SentAlert(int threshold, ThresholdKind kind, decimal limitUsd)
    {
        Threshold = threshold;
        Kind = kind;
        LimitUsd = Money.Normalize(limitUsd);
    }

    public int Threshold { get; }

    public ThresholdKind Kind { get; }

    /// <summary>Normalised (no trailing zeros), so 500 and 500.00 are the same limit.</summary>
    public decimal LimitUsd { get; }
}
