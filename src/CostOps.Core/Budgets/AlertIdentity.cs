using System.Security.Cryptography;
using System.Text;

namespace CostOps.Core.Budgets;

/// <summary>
/// Names of an alert that every evaluator computes the same way, so concurrent or repeated evaluations of the same
/// crossing collide on the same outbox row (and receivers can drop repeats by the idempotency key).
/// </summary>
public static class AlertIdentity
{
    /// <summary><c>{periodKey}_{kind}_{threshold}_{limit}</c>: safe as an Azure Tables key (no / \ # ?).</summary>
    public static string Key(string periodKey, int threshold, ThresholdKind kind, decimal limitUsd) =>
        $"{periodKey}_{BudgetDefinition.KindName(kind)}_{threshold}_{Money.KeyText(limitUsd)}";

    /// <summary><c>al_</c> + 32 hex digits of SHA-256 over budget id and <see cref="Key"/>.</summary>
    public static string IdempotencyKey(string budgetId, string periodKey, int threshold, ThresholdKind kind, decimal limitUsd)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(budgetId + "\n" + Key(periodKey, threshold, kind, limitUsd)));
        return "al_" + Convert.ToHexStringLower(hash)[..32];
    }
}
