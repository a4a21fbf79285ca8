namespace CostOps.Core.Pricing;

/// <summary>
/// What a model can do, for recommendations ("the same work for less"): never used in cost arithmetic.
/// </summary>
public sealed record ModelCapabilities
{
    /// <summary>Rough class: <c>frontier</c>, <c>mid</c>, <c>small</c> or <c>reasoning</c>.</summary>
    public string Class { get; init; } = "";

    /// <summary>Context window, tokens.</summary>
    public long ContextWindow { get; init; }

    /// <summary>Largest output of one call, tokens.</summary>
    public long MaxOutputTokens { get; init; }

    /// <summary>Input modalities: text, image, audio, video.</summary>
    public IReadOnlyList<string> Modalities { get; init; } = [];

    /// <summary>Whether the model produces (billed) reasoning tokens.</summary>
    public bool Reasoning { get; init; }

    /// <summary>Whether the provider bills cache reads for this model at a discount.</summary>
    public bool Caching { get; init; }

    /// <summary>What the model does, in LiteLLM's terms: chat, embedding, image_generation, audio_transcription, audio_speech, rerank, …</summary>
    public string Mode { get; init; } = ChatMode;

    /// <summary>The default <see cref="Mode"/>.</summary>
    public const string ChatMode = "chat";
}
