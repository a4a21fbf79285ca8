namespace CostOps.Core.Pricing;

/// <summary>
/// Units of one call that are not tokens, each priced per unit by <see cref="UnitPrices"/>. Embeddings need none: an
/// embedding call is priced by its input tokens.
/// </summary>
/// <param name="Images">Images generated (or input images, for models that price images per image).</param>
/// <param name="Seconds">Seconds of audio or video: transcribed audio, generated speech or video.</param>
/// <param name="Characters">Characters: text-to-speech input, or text for models priced per character.</param>
/// <param name="WebSearches">Web-search (or priced tool) calls.</param>
public readonly record struct UsageUnits(long Images = 0, decimal Seconds = 0m, long Characters = 0, long WebSearches = 0)
{
    /// <summary>Whether the call has any unit.</summary>
    public bool Any => Images > 0 || Seconds > 0 || Characters > 0 || WebSearches > 0;
}
