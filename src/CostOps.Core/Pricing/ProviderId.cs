namespace CostOps.Core.Pricing;

/// <summary>
/// The LLM providers CostOps prices. Each maps to one OpenTelemetry <c>gen_ai.provider.name</c> well-known value
/// (see <see cref="Providers"/>); the same model often costs differently per provider, so prices are keyed by both.
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
}
