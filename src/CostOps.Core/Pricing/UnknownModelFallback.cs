namespace CostOps.Core.Pricing;

/// <summary>
/// How a model without a price is still counted: at the price of the most expensive chat model of its provider (latest
/// version, by input + output price), or, when the provider is unknown or has no chat model, at
/// <see cref="DefaultPrice"/>. The estimate errs high on purpose: unpriced traffic should trip a budget early rather
/// than hide; the event says <c>estimated_price</c> and which price stood in (<c>price_version</c> starts with
/// <c>estimate:</c>), and a recommendation asks for the real price.
/// </summary>
/// <param name="DefaultPrice">The price for models whose provider gives no estimate, USD per 1M tokens.</param>
public sealed record UnknownModelFallback(ModelPrice DefaultPrice)
{
    /// <summary>The default: $15 input, $75 output per 1M tokens (a frontier model's list price) when the provider gives none.</summary>
    public static UnknownModelFallback Standard { get; } = Create(15m, 75m);

    /// <summary>A fallback with the given default price (USD per 1M tokens).</summary>
    public static UnknownModelFallback Create(decimal input, decimal output) => new(new ModelPrice
    {
        EffectiveFrom = new DateOnly(2000, 1, 1),
        Source = "configured default for unknown models",
        Input = input,
        Output = output,
    });
}
