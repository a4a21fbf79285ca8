using System.Text.Json.Serialization;
using CostOps.Core.Pricing;

namespace CostOps.Core.Ingestion;

/// <summary>
/// Usage event v1: one LLM call as a producer reports it (the contract in <c>docs/usage-event.md</c>).
/// Token counts follow the OpenTelemetry GenAI conventions: <see cref="CachedInputTokens"/> and
/// <see cref="CacheWriteTokens"/> are parts of <see cref="InputTokens"/>, <see cref="ReasoningTokens"/> is part of
/// <see cref="OutputTokens"/>. Producers may serialize this type with System.Text.Json (see
/// <see cref="UsageEventJsonContext"/>); ingestion reads payloads with <see cref="UsageEventParser"/>, which also
/// accepts Anthropic- and OpenAI-style usage and normalises it to this shape.
/// </summary>
public sealed record UsageEvent
{
    /// <summary>Unique per LLM call; replays with the same id are counted once.</summary>
    [JsonPropertyName("event_id")]
    public required string EventId { get; init; }

    /// <summary>When the call happened (UTC; the parser converts any offset to UTC).</summary>
    [JsonPropertyName("timestamp")]
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The tenant the call is billed to.</summary>
    [JsonPropertyName("tenant")]
    public required string Tenant { get; init; }

    /// <summary>Model id as sent to or returned by the provider (resolved to a canonical id at pricing).</summary>
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    /// <summary>
    /// Every prompt token, including cache reads and cache writes. Null only when the producer sent
    /// <see cref="PromptText"/> instead, so pricing estimates the count.
    /// </summary>
    [JsonPropertyName("input_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public required long? InputTokens { get; init; }

    /// <summary>
    /// Every generated token, including reasoning tokens. Null only when the producer sent
    /// <see cref="CompletionText"/> instead, so pricing estimates the count.
    /// </summary>
    [JsonPropertyName("output_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public required long? OutputTokens { get; init; }

    /// <summary>Provider id, ideally an OpenTelemetry <c>gen_ai.provider.name</c> value (<c>openai</c>, <c>anthropic</c>, ...).</summary>
    [JsonPropertyName("provider")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Provider { get; init; }

    /// <summary>Project within the tenant.</summary>
    [JsonPropertyName("project")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Project { get; init; }

    /// <summary>End user (or service principal) on whose behalf the call was made.</summary>
    [JsonPropertyName("user")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }

    /// <summary>Product feature or route that made the call; the wire also accepts the alias <c>route</c>.</summary>
    [JsonPropertyName("feature")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Feature { get; init; }

    /// <summary>Deployment name (e.g. an Azure OpenAI deployment), which may map to a model per tenant.</summary>
    [JsonPropertyName("deployment")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Deployment { get; init; }

    /// <summary>Cache reads: the part of <see cref="InputTokens"/> served from the provider's prompt cache.</summary>
    [JsonPropertyName("cached_input_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CachedInputTokens { get; init; }

    /// <summary>Cache writes: the part of <see cref="InputTokens"/> written to the provider's prompt cache.</summary>
    [JsonPropertyName("cache_write_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CacheWriteTokens { get; init; }

    /// <summary>The part of <see cref="OutputTokens"/> spent on reasoning (billed once, as output).</summary>
    [JsonPropertyName("reasoning_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ReasoningTokens { get; init; }

    /// <summary>True when the call went through a provider's batch API (batch prices apply).</summary>
    [JsonPropertyName("batch")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Batch { get; init; }

    /// <summary>Images generated, or input images where a model prices images per image.</summary>
    [JsonPropertyName("images")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Images { get; init; }

    /// <summary>Seconds of audio processed or generated (transcription, speech), up to 6 decimal places.</summary>
    [JsonPropertyName("audio_seconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? AudioSeconds { get; init; }

    /// <summary>Seconds of video generated or processed, up to 6 decimal places.</summary>
    [JsonPropertyName("video_seconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? VideoSeconds { get; init; }

    /// <summary>Characters of input where a model prices per character (text-to-speech).</summary>
    [JsonPropertyName("characters")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Characters { get; init; }

    /// <summary>Web searches (or other tool calls a provider prices per call) made during the call.</summary>
    [JsonPropertyName("web_searches")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? WebSearches { get; init; }

    /// <summary>The processing tier the call was served at: a <see cref="ServiceTierNames"/> value (priority and flex have their own prices).</summary>
    [JsonPropertyName("service_tier")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ServiceTier { get; init; }

    /// <summary>An Azure deployment's data-processing type: a <see cref="DeploymentTypeNames"/> value (recorded; priced where the catalog has such prices).</summary>
    [JsonPropertyName("deployment_type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeploymentType { get; init; }

    /// <summary>End-to-end latency of the call in milliseconds.</summary>
    [JsonPropertyName("latency_ms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LatencyMs { get; init; }

    /// <summary>Outcome of the call: <c>ok</c> (the default when absent), <c>error</c>, or a producer-specific value.</summary>
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    /// <summary>Error class when the call failed (OpenTelemetry <c>error.type</c>, e.g. <c>rate_limited</c>, <c>timeout</c>).</summary>
    [JsonPropertyName("error_type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorType { get; init; }

    /// <summary>Hash of the prompt prefix, for prompt-caching analysis; never the prompt itself.</summary>
    [JsonPropertyName("prompt_hash")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PromptHash { get; init; }

    /// <summary>
    /// Hash of the whole request (model, messages or prompt, tools, sampling parameters) in the canonical JSON form of
    /// <c>docs/usage-event.md</c>, for response-cache analysis: equal hashes are identical requests. Never the text.
    /// </summary>
    [JsonPropertyName("request_hash")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RequestHash { get; init; }

    /// <summary>The sampling temperature the call was made with (0 to 2); a cached answer suits deterministic calls.</summary>
    [JsonPropertyName("temperature")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Temperature { get; init; }

    /// <summary>Free-form string labels (queryable in ClickHouse as a map).</summary>
    [JsonPropertyName("tags")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>True when a person waited for the answer; false for background work (a routing hint).</summary>
    [JsonPropertyName("interactive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Interactive { get; init; }

    /// <summary>Opt-in prompt text, only for token estimation when the producer has no counts.</summary>
    [JsonPropertyName("prompt_text")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PromptText { get; init; }

    /// <summary>Opt-in completion text, only for token estimation when the producer has no counts.</summary>
    [JsonPropertyName("completion_text")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CompletionText { get; init; }

    /// <summary>Whether the call went through a batch API: <see cref="Batch"/>, or <c>service_tier: batch</c> without it.</summary>
    public bool IsBatch() => Batch ?? ServiceTier == ServiceTierNames.Batch;

    /// <summary>
    /// What pricing needs of this call: the given token counts (reported or estimated), the cache and reasoning parts,
    /// the units beyond tokens (audio and video seconds are one per-second unit: a model prices one of them) and the
    /// tier (<c>service_tier: batch</c> prices as <c>batch: true</c>).
    /// </summary>
    public UsageTokens ToUsage(long input, long output, bool estimated) => new(
        input, output, CachedInputTokens ?? 0, CacheWriteTokens ?? 0, 0, ReasoningTokens ?? 0,
        Batch: IsBatch(),
        Estimated: estimated,
        Units: new UsageUnits(Images ?? 0, (AudioSeconds ?? 0m) + (VideoSeconds ?? 0m), Characters ?? 0, WebSearches ?? 0),
        ServiceTier: ServiceTierNames.ToPricing(ServiceTier));
}
