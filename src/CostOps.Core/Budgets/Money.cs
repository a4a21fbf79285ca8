using System.Globalization;

namespace CostOps.Core.Budgets;

/// <summary>Decimal helpers for amounts that become keys or text.</summary>
public static class Money
{
    /// <summary>The same value without trailing zeros (500.00 → 500), so equal amounts give equal keys.</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    /// <summary>Invariant text of the normalised value, used inside keys (e.g. <c>500</c>, <c>12.5</c>).</summary>
    public static string KeyText(decimal value) => Normalize(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>Percent of <paramref name="limit"/> that <paramref name="amount"/> is, to two places.</summary>
    public static decimal Percent(decimal amount, decimal limit) =>
        limit <= 0 ? 0m : decimal.Round(amount * 100m / limit, 2, MidpointRounding.AwayFromZero);
}
