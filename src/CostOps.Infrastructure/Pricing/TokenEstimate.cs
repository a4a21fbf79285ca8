namespace CostOps.Infrastructure.Pricing;

/// <summary>A token count from a tokenizer.</summary>
/// <param name="Tokens">The count.</param>
/// <param name="Encoding">The encoding used.</param>
/// <param name="Exact">True when the encoding is the model's own (OpenAI families); false for the o200k approximation of other vendors.</param>
public readonly record struct TokenEstimate(int Tokens, TokenEncoding Encoding, bool Exact);
