using System.Collections.Frozen;

namespace CostOps.Core.Pricing;

/// <summary>
/// Maps provider names as producers send them (OpenTelemetry <c>gen_ai.provider.name</c> values, common aliases and
/// LiteLLM's <c>litellm_provider</c> names) to <see cref="ProviderId"/> and back to one canonical name.
/// <para>
/// The named <see cref="ProviderId"/> members are the providers with an OpenTelemetry well-known name (or, for Groq,
/// the name producers use). Every other provider the community price map covers gets an id after them, in
/// <see cref="CommunityNames"/> order, and keeps LiteLLM's name as its canonical name: such ids are data, not enum
/// members, so a new provider in the map is one line here. Append only: ids are never persisted, names are.
/// </para>
/// </summary>
public static class Providers
{
    private static readonly string[] OtelNames =
    [
        "", "openai", "azure.ai.openai", "azure.ai.inference", "anthropic", "aws.bedrock", "gcp.gemini",
        "gcp.vertex_ai", "mistral_ai", "deepseek", "groq", "cohere", "x_ai", "ibm.watsonx.ai", "perplexity",
    ];

    /// <summary>Providers of the community price map without an OpenTelemetry well-known name (LiteLLM's names).</summary>
    public static readonly IReadOnlyList<string> CommunityNames =
    [
        "fireworks_ai", "vercel_ai_gateway", "novita", "openrouter", "deepinfra", "together_ai", "replicate",
        "deepgram", "ollama", "databricks", "dashscope", "moonshot", "stability",
        "lambda_ai", "voyage", "gmi", "hyperbolic", "nscale", "sambanova", "llamagate", "ovhcloud", "wandb",
        "gradient_ai", "oci", "aiml", "anyscale", "fal_ai", "ai21", "minimax", "publicai", "zai", "volcengine",
        "cerebras", "gigachat", "aleph_alpha", "palm", "sagemaker", "runwayml", "lemonade", "cloudflare",
        "elevenlabs", "amazon_nova", "aws_polly", "nvidia_nim", "v0", "assemblyai",
        "nlp_cloud", "friendliai", "morph", "parallel_ai", "recraft", "linkup", "tavily",
        "dataforseo", "searxng", "google_pse", "jina_ai", "sarvam", "duckduckgo", "zhipu",
    ];

    private static readonly string[] Names = [.. OtelNames, .. CommunityNames];

    // Aliases are what gateways (LiteLLM, Portkey, APIM policies) commonly put in the provider field.
    private static readonly FrozenDictionary<string, ProviderId> ByName = BuildNames();

    // LiteLLM's litellm_provider values that are not simply a name above: sub-catalogues of one provider. (Its
    // "codestral" is Mistral's separate, free-beta Codestral endpoint, not Mistral's API: left unmapped.)
    private static readonly (string Prefix, ProviderId Id)[] LiteLlmFamilies =
    [
        ("vertex_ai", ProviderId.GcpVertexAI), ("bedrock", ProviderId.AwsBedrock), ("text-completion-openai", ProviderId.OpenAI),
        ("azure_text", ProviderId.AzureOpenAI), ("cohere_chat", ProviderId.Cohere), ("watsonx", ProviderId.IbmWatsonx), ("fireworks_ai", Community("fireworks_ai")),
    ];

    /// <summary>Every provider CostOps knows, without <see cref="ProviderId.Unknown"/>.</summary>
    public static IReadOnlyList<ProviderId> All { get; } = Enumerable.Range(1, Names.Length - 1).Select(i => (ProviderId)i).ToArray();

    /// <summary>How many provider ids exist, <see cref="ProviderId.Unknown"/> included (for arrays indexed by id).</summary>
    public static int Count => Names.Length;

    /// <summary>The providers that have an OpenTelemetry well-known name or are named members of <see cref="ProviderId"/>.</summary>
    public static bool IsNamed(ProviderId id) => (int)id < OtelNames.Length;

    /// <summary>The provider for a name or alias; <see cref="ProviderId.Unknown"/> for null, empty or unrecognised names.</summary>
    public static ProviderId Parse(string? name) =>
        name is { Length: > 0 } && ByName.TryGetValue(name, out var id) ? id : ProviderId.Unknown;

    /// <summary>Like <see cref="Parse"/>, but reports whether the name was recognised.</summary>
    public static bool TryParse(string? name, out ProviderId id)
    {
        id = Parse(name);
        return id != ProviderId.Unknown;
    }

    /// <summary>
    /// Our provider for a LiteLLM <c>litellm_provider</c> value: its OpenTelemetry name where one exists
    /// (<c>azure</c> → <c>azure.ai.openai</c>, <c>vertex_ai-anthropic_models</c> → <c>gcp.vertex_ai</c>,
    /// <c>bedrock_converse</c> → <c>aws.bedrock</c>), else the community provider of that name; Unknown for a name
    /// this build does not know (the reader reports such entries as skipped).
    /// </summary>
    public static ProviderId FromLiteLlm(string? litellmProvider)
    {
        if (string.IsNullOrEmpty(litellmProvider)) return ProviderId.Unknown;
        if (ByName.TryGetValue(litellmProvider, out var id)) return id;
        foreach (var (prefix, family) in LiteLlmFamilies)
        {
            if (litellmProvider.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return family;
        }
        return ProviderId.Unknown;
    }

    /// <summary>The canonical name: the OpenTelemetry <c>gen_ai.provider.name</c> value, or LiteLLM's name for a community provider (empty for Unknown).</summary>
    public static string OtelName(this ProviderId id) => (int)id < Names.Length ? Names[(int)id] : "";

    private static ProviderId Community(string name) => (ProviderId)(OtelNames.Length + CommunityNames.ToList().IndexOf(name));

    private static FrozenDictionary<string, ProviderId> BuildNames()
    {
        var map = new Dictionary<string, ProviderId>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < Names.Length; i++) map[Names[i]] = (ProviderId)i;
        foreach (var (alias, id) in new (string, ProviderId)[]
        {
            ("azure", ProviderId.AzureOpenAI), ("azure_openai", ProviderId.AzureOpenAI), ("azure_ai", ProviderId.AzureAIInference),
            ("bedrock", ProviderId.AwsBedrock), ("gemini", ProviderId.GcpGemini), ("vertex_ai", ProviderId.GcpVertexAI),
            ("vertex", ProviderId.GcpVertexAI), ("mistral", ProviderId.MistralAI), ("xai", ProviderId.XAI),
            ("watsonx", ProviderId.IbmWatsonx),
        })
        {
            map[alias] = id;
        }
        return map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
