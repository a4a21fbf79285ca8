namespace CostOps.Core.Pricing;

/// <summary>The wire names of <see cref="PriceStatus"/> (ClickHouse <c>price_status</c>, JSON output).</summary>
public static class PriceStatusNames
{
    public const string Priced = "priced";
    public const string UnknownModel = "unknown_model";
    public const string EstimatedTokens = "estimated_tokens";
    public const string EstimatedPrice = "estimated_price";

    public static string ToWireName(this PriceStatus status) => status switch
    {
        PriceStatus.Priced => Priced,
        PriceStatus.UnknownModel => UnknownModel,
        PriceStatus.EstimatedTokens => EstimatedTokens,
        PriceStatus.EstimatedPrice => EstimatedPrice,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
