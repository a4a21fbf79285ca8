using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CostOps.Core.Pricing.CommunityMap;

/// <summary>
/// Reads LiteLLM's community price map (<c>model_prices_and_context_window.json</c>, MIT) into catalog entries: one
/// price version per priced entry, dated <c>effective</c>, every price converted exactly from USD per token (the map's
/// JSON numbers, e.g. <c>2.5e-06</c>, read as decimal text, never through a double) to our USD per 1M tokens.
/// <para>
/// Fields read: <c>input_cost_per_token</c>, <c>output_cost_per_token</c>, <c>cache_read_input_token_cost</c>,
/// <c>cache_creation_input_token_cost</c> (5-minute writes) and <c>…_above_1hr</c> (1-hour writes), the
/// <c>*_above_Nk_tokens</c> long-context tier (the lowest N), <c>*_batches</c>, <c>*_priority</c> and <c>*_flex</c>,
/// <c>input_cost_per_request</c>, and the units: <c>output_cost_per_image</c> (else <c>input_cost_per_image</c>),
/// <c>input_cost_per_second</c> (else <c>output_cost_per_second</c>, <c>output_cost_per_video_per_second</c>,
/// <c>input_cost_per_audio_per_second</c>),
/// <c>input_cost_per_character</c> (else <c>output_cost_per_character</c>), and
/// <c>search_context_cost_per_query.search_context_size_medium</c> (else <c>input_cost_per_query</c>) per web search.
/// <c>litellm_provider</c> maps to our provider (<see cref="Providers.FromLiteLlm"/>); a key's routing prefix naming the
/// same provider (<c>azure/</c>, <c>gemini/</c>, <c>vertex_ai/</c>) is dropped, so <c>azure/gpt-4o</c> is Azure's
/// <c>gpt-4o</c>. Pure: text in, entries out.
/// </para>
/// </summary>
public static partial class LiteLlmPriceMap
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>Parses a map; entries it cannot price (no price field, unknown provider) are listed in the result, not thrown.</summary>
    /// <exception cref="FormatException">The text is not a JSON object of entries, or a price is not a number.</exception>
    public static LiteLlmMapReadResult Parse(string json, DateOnly effective, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new FormatException($"The price map is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("The price map must be a JSON object of model entries.");

            var models = new Dictionary<(ProviderId, string), CatalogModel>();
            var skipped = new List<string>();
            // Unprefixed keys first: where "gpt-4o" and "openai/gpt-4o" both exist, the plain key is the entry.
            var entries = document.RootElement.EnumerateObject()
                .Where(p => p.Name != "sample_spec" && p.Value.ValueKind == JsonValueKind.Object)
                .OrderBy(p => p.Name.Contains('/') ? 1 : 0)
                .ToList();
            foreach (var entry in entries)
            {
                var provider = Providers.FromLiteLlm(Text(entry.Value, "litellm_provider"));
                if (provider == ProviderId.Unknown)
                {
                    skipped.Add($"{entry.Name}: unknown litellm_provider '{Text(entry.Value, "litellm_provider")}'");
                    continue;
                }
                var price = ReadPrice(entry.Name, entry.Value, effective, source);
                if (price is null)
                {
                    skipped.Add($"{entry.Name}: no price");
                    continue;
                }
                var model = ModelName(entry.Name, provider);
                models.TryAdd((provider, model.ToLowerInvariant()), new CatalogModel
                {
                    Provider = provider,
                    Model = model,
                    Capabilities = Capabilities(entry.Value, price),
                    Prices = [price],
                });
            }
            return new LiteLlmMapReadResult([.. models.Values], skipped);
        }
    }

    // "azure/gpt-4o" is Azure's gpt-4o; "openrouter/openai/gpt-5" stays "openai/gpt-5" under openrouter.
    private static string ModelName(string key, ProviderId provider)
    {
        var slash = key.IndexOf('/');
        return slash > 0 && Providers.FromLiteLlm(key[..slash]) == provider ? key[(slash + 1)..] : key;
    }

    private static ModelPrice? ReadPrice(string key, JsonElement e, DateOnly effective, string source)
    {
        var input = PerToken(e, "input_cost_per_token");
        var output = PerToken(e, "output_cost_per_token");
        var units = new UnitPrices
        {
            Image = Number(e, "output_cost_per_image") ?? Number(e, "input_cost_per_image"),
            Second = Number(e, "input_cost_per_second") ?? Number(e, "output_cost_per_second")
                ?? Number(e, "output_cost_per_video_per_second") ?? Number(e, "input_cost_per_audio_per_second"),
            Character = Number(e, "input_cost_per_character") ?? Number(e, "output_cost_per_character"),
            WebSearch = (e.TryGetProperty("search_context_cost_per_query", out var search) && search.ValueKind == JsonValueKind.Object
                ? Number(search, "search_context_size_medium")
                : null) ?? Number(e, "input_cost_per_query"),
        };
        var fee = Number(e, "input_cost_per_request");
        if (input is null && output is null && units.IsEmpty && fee is null) return null;

        var threshold = TierThreshold(e);
        var suffix = threshold is { } t ? $"_above_{t / 1000}k_tokens" : null;
        return new ModelPrice
        {
            EffectiveFrom = effective,
            Source = source,
            Input = input ?? 0m,
            Output = output ?? 0m,
            CacheRead = PerToken(e, "cache_read_input_token_cost"),
            CacheWrite5m = PerToken(e, "cache_creation_input_token_cost"),
            CacheWrite1h = PerToken(e, "cache_creation_input_token_cost_above_1hr"),
            BatchInput = PerToken(e, "input_cost_per_token_batches"),
            BatchOutput = PerToken(e, "output_cost_per_token_batches"),
            TierThresholdTokens = threshold,
            AboveTier = suffix is null ? null : new TierPrices
            {
                Input = PerToken(e, "input_cost_per_token" + suffix),
                Output = PerToken(e, "output_cost_per_token" + suffix),
                CacheRead = PerToken(e, "cache_read_input_token_cost" + suffix),
                CacheWrite5m = PerToken(e, "cache_creation_input_token_cost" + suffix),
                CacheWrite1h = PerToken(e, "cache_creation_input_token_cost_above_1hr" + suffix),
            },
            Priority = ServiceTierPrices(e, "_priority"),
            Flex = ServiceTierPrices(e, "_flex"),
            RequestFee = fee,
            Units = units.IsEmpty ? null : units,
        };
    }

    private static TierPrices? ServiceTierPrices(JsonElement e, string suffix)
    {
        var prices = new TierPrices
        {
            Input = PerToken(e, "input_cost_per_token" + suffix),
            Output = PerToken(e, "output_cost_per_token" + suffix),
            CacheRead = PerToken(e, "cache_read_input_token_cost" + suffix),
            CacheWrite5m = PerToken(e, "cache_creation_input_token_cost" + suffix),
        };
        return prices.Input is null && prices.Output is null && prices.CacheRead is null && prices.CacheWrite5m is null ? null : prices;
    }

    // The lowest "_above_Nk_tokens" threshold among the token prices (maps list one per model in practice).
    private static long? TierThreshold(JsonElement e)
    {
        long? lowest = null;
        foreach (var property in e.EnumerateObject())
        {
            var match = TierKey().Match(property.Name);
            if (!match.Success) continue;
            var tokens = long.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) * 1000;
            if (lowest is null || tokens < lowest) lowest = tokens;
        }
        return lowest;
    }

    private static ModelCapabilities Capabilities(JsonElement e, ModelPrice price)
    {
        var modalities = new List<string> { "text" };
        if (Flag(e, "supports_vision")) modalities.Add("image");
        if (Flag(e, "supports_audio_input")) modalities.Add("audio");
        if (Flag(e, "supports_video_input")) modalities.Add("video");
        return new ModelCapabilities
        {
            Mode = Text(e, "mode") is { Length: > 0 } mode ? mode : ModelCapabilities.ChatMode,
            ContextWindow = Count(e, "max_input_tokens") ?? Count(e, "max_tokens") ?? 0,
            MaxOutputTokens = Count(e, "max_output_tokens") ?? Count(e, "max_tokens") ?? 0,
            Modalities = modalities,
            Reasoning = Flag(e, "supports_reasoning"),
            Caching = price.CacheRead is not null,
        };
    }

    private static decimal? PerToken(JsonElement e, string name) => Number(e, name) * PerMillion;

    private static decimal? Number(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number) throw new FormatException($"{name} must be a number, not {value.ValueKind}.");
        // The raw text ("2.5e-06") parsed as decimal: exact, unlike a double's binary approximation.
        return decimal.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    // max_tokens fields are numbers, or (in a few entries) text: text and fractions count as absent.
    private static long? Count(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Flag(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    [GeneratedRegex(@"^(?:input_cost_per_token|output_cost_per_token|cache_read_input_token_cost)_above_(\d+)k_tokens$")]
    private static partial Regex TierKey();
}
