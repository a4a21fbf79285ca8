using System.Collections.Frozen;

namespace CostOps.Core.Pricing;

/// <summary>
/// Maps provider names as producers send them (OpenTelemetry <c>gen_ai.provider.name</c> values and common aliases)
/// to <see cref="ProviderId"/> and back to the canonical OpenTelemetry name.
/// </summary>
public static class Providers
{
    private static readonly string[] OtelNames =
    [
        "", "openai", "azure.ai.openai", "azure.ai.inference", "anthropic", "aws.bedrock", "gcp.gemini",
        "gcp.vertex_ai", "mistral_ai", "deepseek", "groq", "cohere", "x_ai",
    ];

    // Aliases are what gateways (LiteLLM, Portkey, APIM policies) commonly put in the provider field.
    private static readonly FrozenDictionary<string, ProviderId> ByName = new Dictionary<string, ProviderId>(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = ProviderId.OpenAI,
        ["azure.ai.openai"] = ProviderId.AzureOpenAI,
        ["azure"] = ProviderId.AzureOpenAI,
        ["azure_openai"] = ProviderId.AzureOpenAI,
        ["azure.ai.inference"] = ProviderId.AzureAIInference,
        ["azure_ai"] = ProviderId.AzureAIInference,
        ["anthropic"] = ProviderId.Anthropic,
        ["aws.bedrock"] = ProviderId.AwsBedrock,
        ["bedrock"] = ProviderId.AwsBedrock,
        ["gcp.gemini"] = ProviderId.GcpGemini,
        ["gemini"] = ProviderId.GcpGemini,
        ["gcp.vertex_ai"] = ProviderId.GcpVertexAI,
        ["vertex_ai"] = ProviderId.GcpVertexAI,
        ["vertex"] = ProviderId.GcpVertexAI,
        ["mistral_ai"] = ProviderId.MistralAI,
        ["mistral"] = ProviderId.MistralAI,
        ["deepseek"] = ProviderId.DeepSeek,
        ["groq"] = ProviderId.Groq,
        ["cohere"] = ProviderId.Cohere,
        ["x_ai"] = ProviderId.XAI,
        ["xai"] = ProviderId.XAI,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every provider CostOps knows, without <see cref="ProviderId.Unknown"/>.</summary>
    public static IReadOnlyList<ProviderId> All { get; } = Enum.GetValues<ProviderId>().Where(p => p != ProviderId.Unknown).ToArray();

    /// <summary>The provider for a name or alias; <see cref="ProviderId.Unknown"/> for null, empty or unrecognised names.</summary>
    public static ProviderId Parse(string? name) =>
        name is { Length: > 0 } && ByName.TryGetValue(name, out var id) ? id : ProviderId.Unknown;

    /// <summary>Like <see cref="Parse"/>, but reports whether the name was recognised.</summary>
    public static bool TryParse(string? name, out ProviderId id)
    {
        id = Parse(name);
        return id != ProviderId.Unknown;
    }

    /// <summary>The OpenTelemetry <c>gen_ai.provider.name</c> value (empty for <see cref="ProviderId.Unknown"/>).</summary>
    public static string OtelName(this ProviderId id) => OtelNames[(int)id];
}
