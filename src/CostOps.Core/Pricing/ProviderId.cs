namespace CostOps.Core.Pricing;

/// <summary>
/// The LLM providers CostOps prices. Each named member maps to one OpenTelemetry <c>gen_ai.provider.name</c> well-known
/// value; ids after the last member are the community price map's other providers (see <see cref="Providers"/>).
/// The same model often costs differently per provider, so prices are keyed by both.
/// </summary>
public enum ProviderId : byte
{
    /// <summary>Not given or not recognised: resolution then looks the model up across providers.</summary>
    Unknown = 0,
    OpenAI,
    AzureOpenAI,
    AzureAIInference,
    Anthropic,
    AwsBedrock,
    GcpGemini,
    GcpVertexAI,
    MistralAI,
    DeepSeek,
    Groq,
    Cohere,
    XAI,
    IbmWatsonx,
    Perplexity,
}
