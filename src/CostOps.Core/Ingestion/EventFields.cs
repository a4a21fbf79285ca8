namespace CostOps.Core.Ingestion;

/// <summary>
/// Everything read from one JSON object before it becomes a <see cref="UsageEvent"/>: the v1 fields, the raw
/// Anthropic/OpenAI usage numbers awaiting normalisation, and CloudEvents attributes. A mutable struct on the stack
/// so reading an event allocates nothing but the strings and the event itself.
/// </summary>
internal struct EventFields
{
    public UsageEventRejection? Error;

    /// <summary>A problem with the CloudEvents envelope itself (a repeated attribute), reported only when the object is an envelope.</summary>
    public UsageEventRejection? EnvelopeError;

    public string? EventId;
    public DateTimeOffset? Timestamp;
    public string? Tenant;
    public string? Model;
    public string? Provider;
    public string? Project;
    public string? User;
    public string? Feature;
    public string? Route;
    public string? Deployment;
    public string? Status;
    public string? ErrorType;
    public string? PromptHash;
    public string? RequestHash;
    public decimal? Temperature;
    public string? PromptText;
    public string? CompletionText;
    public TagMap? Tags;
    public bool? Batch;
    public bool? Interactive;
    public long? LatencyMs;

    public long? InputTokens;
    public long? OutputTokens;
    public long? CachedInputTokens;
    public long? CacheWriteTokens;
    public long? ReasoningTokens;

    public long? Images;
    public decimal? AudioSeconds;
    public decimal? VideoSeconds;
    public long? Characters;
    public long? WebSearches;
    public string? ServiceTier;
    public string? DeploymentType;

    // Anthropic names at the top level.
    public UsageStyle Style;
    public long? CacheReadInputTokens;
    public long? CacheCreationInputTokens;

    // A nested provider "usage" object, as returned by the provider's API.
    public bool HasUsage;
    public long? UsageInputTokens;
    public long? UsageOutputTokens;
    public long? UsagePromptTokens;
    public long? UsageCompletionTokens;
    public long? UsageCacheReadInputTokens;
    public long? UsageCacheCreationInputTokens;
    public long? UsagePromptCachedTokens;
    public long? UsageCompletionReasoningTokens;
    public long? UsageInputCachedTokens;
    public long? UsageOutputReasoningTokens;

    // CloudEvents 1.0 envelope (only meaningful when SpecVersion was present).
    public bool HasSpecVersion;
    public string? SpecVersion;
    public string? CeId;
    public string? CeSource;
    public string? CeType;
    public string? CeDataContentType;
    public string? CeTimeText;
    public DateTimeOffset? CeTime;
    public DataKind Data;
    public string? DataBase64;

    /// <summary>Keeps the first problem: later ones are usually consequences of it.</summary>
    public void Fail(UsageEventRejection problem) => Error ??= problem;
}
