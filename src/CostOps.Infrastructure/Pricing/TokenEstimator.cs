using CostOps.Core.Pricing;
using CostOps.Infrastructure.Ingestion;
using Microsoft.ML.Tokenizers;

namespace CostOps.Infrastructure.Pricing;

/// <summary>
/// Counts tokens for events that carry text but no counts (opt-in <c>prompt_text</c>/<c>completion_text</c>):
/// o200k_base for gpt-4o / gpt-4.1 / o-series / gpt-5, cl100k_base for gpt-4 / gpt-3.5, and o200k_base as an
/// approximation for other vendors, whose tokenizers are not public. OpenAI counts equal tiktoken's exactly.
/// Tokenizers load their vocabularies once per process (the data packages embed them; no download).
/// </summary>
public sealed class TokenEstimator : ITokenCounter
{
    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));
    private static readonly Lazy<Tokenizer> Cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    // Checked in order: gpt-4o and gpt-4.1 must win over the gpt-4 prefix.
    private static readonly (string Prefix, TokenEncoding Encoding)[] Families =
    [
        ("gpt-4o", TokenEncoding.O200kBase),
        ("gpt-4.1", TokenEncoding.O200kBase),
        ("gpt-4.5", TokenEncoding.O200kBase),
        ("gpt-5", TokenEncoding.O200kBase),
        ("gpt-oss", TokenEncoding.O200kBase),
        ("chatgpt-4o", TokenEncoding.O200kBase),
        ("o1", TokenEncoding.O200kBase),
        ("o3", TokenEncoding.O200kBase),
        ("o4", TokenEncoding.O200kBase),
        ("gpt-4", TokenEncoding.Cl100kBase),
        ("gpt-35", TokenEncoding.Cl100kBase),
        ("gpt-3.5", TokenEncoding.Cl100kBase),
        ("text-embedding-3", TokenEncoding.Cl100kBase),
        ("text-embedding-ada", TokenEncoding.Cl100kBase),
    ];

    private static readonly string[] RoutingPrefixes = ["openai/", "azure/", "azure_ai/", "groq/"];

    /// <summary>One per process is enough: the tokenizers are shared and thread-safe.</summary>
    public static TokenEstimator Shared { get; } = new();

    /// <summary>The encoding for a model, and whether it is the model's own.</summary>
    public static (TokenEncoding Encoding, bool Exact) EncodingFor(string? model)
    {
        var m = (model ?? "").Trim();
        foreach (var prefix in RoutingPrefixes)
        {
            if (m.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) m = m[prefix.Length..];
        }
        foreach (var (prefix, encoding) in Families)
        {
            if (m.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return (encoding, true);
        }
        return (TokenEncoding.O200kBase, false);
    }

    /// <summary>Counts the tokens of a text with one encoding.</summary>
    public int Count(TokenEncoding encoding, ReadOnlySpan<char> text) =>
        text.IsEmpty ? 0 : Tokenizer(encoding).CountTokens(text);

    /// <summary>Counts the tokens of a text as the given model would (or approximately, for other vendors).</summary>
    public TokenEstimate Count(string? model, ReadOnlySpan<char> text)
    {
        var (encoding, exact) = EncodingFor(model);
        return new TokenEstimate(Count(encoding, text), encoding, exact);
    }

    /// <summary>Token counts for an event from its texts, marked as estimated.</summary>
    public UsageTokens Estimate(string? model, string? promptText, string? completionText) =>
        new(Count(model, promptText).Tokens, Count(model, completionText).Tokens, Estimated: true);

    /// <summary>The ingestion pipeline's view: the count for a model's text.</summary>
    long ITokenCounter.Count(string? model, string text) => Count(model, text.AsSpan()).Tokens;

    private static Tokenizer Tokenizer(TokenEncoding encoding) => encoding switch
    {
        TokenEncoding.O200kBase => O200k.Value,
        TokenEncoding.Cl100kBase => Cl100k.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
    };
}
