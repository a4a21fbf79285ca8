using System.Text.RegularExpressions;

namespace CostOps.Core.Pricing;

/// <summary>
/// Turns a model string as producers send it into the ids to look up, most specific first: the string itself, then
/// without a gateway prefix (<c>azure/</c>, <c>models/</c>), without Bedrock's region and vendor prefixes and version
/// suffix (<c>us.anthropic.…-v1:0</c>), without Vertex's <c>@date</c>, without <c>-latest</c> and date suffixes
/// (<c>gpt-4o-2024-08-06</c>). Runs only when a model string is seen for the first time.
/// </summary>
internal static partial class ModelIdNormalizer
{
    private static readonly string[] RoutingPrefixes =
    [
        "openai/", "azure/", "azure_ai/", "anthropic/", "bedrock/", "bedrock_converse/", "gemini/", "vertex_ai/",
        "models/", "xai/", "groq/", "mistral/", "deepseek/", "cohere/", "cohere_chat/",
    ];

    private static readonly string[] BedrockRegions = ["us.", "eu.", "apac.", "jp.", "au.", "ca.", "us-gov.", "global."];

    private static readonly string[] BedrockVendors =
        ["anthropic.", "amazon.", "meta.", "mistral.", "cohere.", "deepseek.", "openai.", "ai21.", "qwen.", "writer."];

    /// <summary>The provider a model string implies by its shape, for events that name no provider.</summary>
    public static ProviderId InferProvider(string model)
    {
        var s = model.Trim();
        if (s.StartsWith("bedrock/", StringComparison.OrdinalIgnoreCase) || IsBedrockShaped(s)) return ProviderId.AwsBedrock;
        if (s.StartsWith("vertex_ai/", StringComparison.OrdinalIgnoreCase) || s.Contains('@') || s.Contains("/publishers/", StringComparison.OrdinalIgnoreCase)) return ProviderId.GcpVertexAI;
        if (s.StartsWith("azure/", StringComparison.OrdinalIgnoreCase)) return ProviderId.AzureOpenAI;
        if (s.StartsWith("azure_ai/", StringComparison.OrdinalIgnoreCase)) return ProviderId.AzureAIInference;
        if (s.StartsWith("gemini/", StringComparison.OrdinalIgnoreCase) || s.StartsWith("models/", StringComparison.OrdinalIgnoreCase)) return ProviderId.GcpGemini;
        return ProviderId.Unknown;
    }

    /// <summary>Lookup candidates, most specific first, without duplicates.</summary>
    public static List<string> Candidates(string model)
    {
        var result = new List<string>(8);
        void Add(string c)
        {
            if (c.Length > 0 && !result.Contains(c, StringComparer.OrdinalIgnoreCase)) result.Add(c);
        }

        var s = model.Trim();
        Add(s);

        // Vertex full resource names: projects/p/locations/l/publishers/anthropic/models/claude-…@…
        var models = s.LastIndexOf("/models/", StringComparison.OrdinalIgnoreCase);
        if (models >= 0) Add(s = s[(models + "/models/".Length)..]);

        foreach (var prefix in RoutingPrefixes)
        {
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                Add(s = s[prefix.Length..]);
                break;
            }
        }

        foreach (var region in BedrockRegions)
        {
            if (s.StartsWith(region, StringComparison.OrdinalIgnoreCase) && HasBedrockVendor(s[region.Length..]))
            {
                Add(s = s[region.Length..]);
                break;
            }
        }
        foreach (var vendor in BedrockVendors)
        {
            if (s.StartsWith(vendor, StringComparison.OrdinalIgnoreCase))
            {
                Add(s = s[vendor.Length..]);
                break;
            }
        }
        if (BedrockVersion().Match(s) is { Success: true } version) Add(s = s[..version.Index]);

        var at = s.IndexOf('@');
        if (at > 0) Add(s = s[..at]);

        if (s.EndsWith("-latest", StringComparison.OrdinalIgnoreCase)) Add(s = s[..^"-latest".Length]);

        // Dates can stack with other suffixes (gemini-2.5-flash-preview-09-2025): strip repeatedly.
        while (DateSuffix().Match(s) is { Success: true } date)
        {
            Add(s = s[..date.Index]);
        }
        return result;
    }

    private static bool IsBedrockShaped(string s)
    {
        foreach (var region in BedrockRegions)
        {
            if (s.StartsWith(region, StringComparison.OrdinalIgnoreCase)) return HasBedrockVendor(s[region.Length..]);
        }
        return HasBedrockVendor(s) && BedrockVersion().IsMatch(s);
    }

    private static bool HasBedrockVendor(string s)
    {
        foreach (var vendor in BedrockVendors)
        {
            if (s.StartsWith(vendor, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    [GeneratedRegex(@"(-v\d+(:\d+)?|:\d+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BedrockVersion();

    [GeneratedRegex(@"-(\d{4}-\d{2}-\d{2}|\d{8}|\d{2}-\d{4}|\d{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateSuffix();
}
