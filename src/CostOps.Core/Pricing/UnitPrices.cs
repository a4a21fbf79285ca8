namespace CostOps.Core.Pricing;

/// <summary>
/// Prices of units that are not tokens, USD per unit (never per million). A null unit price bills that unit at 0 and
/// the result says so (<see cref="PricingFlags.UnpricedUnits"/>): a count without a price is visible, not silently free.
/// </summary>
public sealed record UnitPrices
{
    /// <summary>Per image: a generated image (image models), or an input image where a model prices images per image.</summary>
    public decimal? Image { get; init; }

    /// <summary>Per second of audio or video: transcribed input audio, or generated speech/video.</summary>
    public decimal? Second { get; init; }

    /// <summary>Per character: text-to-speech input, or models priced per character.</summary>
    public decimal? Character { get; init; }

    /// <summary>Per web-search (or priced tool) call.</summary>
    public decimal? WebSearch { get; init; }

    /// <summary>Whether no unit has a price.</summary>
    public bool IsEmpty => Image is null && Second is null && Character is null && WebSearch is null;

    /// <summary>These prices multiplied by <paramref name="factor"/>.</summary>
    public UnitPrices Scaled(decimal factor) => this with
    {
        Image = Image * factor,
        Second = Second * factor,
        Character = Character * factor,
        WebSearch = WebSearch * factor,
    };
}
