namespace CostOps.Core.Pricing;

/// <summary>How an event was priced; stored as <c>price_status</c> (see <see cref="PriceStatusNames"/>).</summary>
public enum PriceStatus : byte
{
    /// <summary>Reported token counts, a known price.</summary>
    Priced = 0,

    /// <summary>No price for the model: the cost is 0, and the event is counted and listed, never silently free.</summary>
    UnknownModel = 1,

    /// <summary>A known price over token counts estimated by a tokenizer.</summary>
    EstimatedTokens = 2,

    /// <summary>
    /// No price for the model, so it is priced at the fallback estimate (<see cref="UnknownModelFallback"/>): counted
    /// in spend and budgets, marked as estimated, with a recommendation to add the model's price.
    /// </summary>
    EstimatedPrice = 3,
}
