namespace CostOps.Core.Ingestion;

/// <summary>
/// Property names the reader knows, at the top level of an event, in a CloudEvents envelope, or inside a nested
/// <c>usage</c> object. Looked up by length first so a name costs one or two byte comparisons, not a string.
/// </summary>
internal enum WireField
{
    Unknown,

    // Usage event v1.
    EventId, Timestamp, Tenant, Model, InputTokens, OutputTokens, Provider, Project, User, Feature, Route,
    Deployment, CachedInputTokens, CacheWriteTokens, ReasoningTokens, Batch, LatencyMs, Status, ErrorType,
    PromptHash, Tags, Interactive, PromptText, CompletionText, RequestHash, Temperature,

    // Units beyond tokens and how the call was served (usage event v1, optional).
    Images, AudioSeconds, VideoSeconds, Characters, WebSearches, ServiceTier, DeploymentType,

    // Normalisation inputs.
    UsageStyle, CacheReadInputTokens, CacheCreationInputTokens, Usage, PromptTokens, CompletionTokens,
    PromptTokensDetails, CompletionTokensDetails, InputTokensDetails, OutputTokensDetails, CachedTokens,

    // CloudEvents 1.0 attributes.
    SpecVersion, Id, Source, Type, Time, DataContentType, Data, DataBase64,
}

/// <summary>Maps UTF-8 property names to <see cref="WireField"/>.</summary>
internal static class WireFields
{
    public static WireField Lookup(ReadOnlySpan<byte> n) => n.Length switch
    {
        2 => n.SequenceEqual("id"u8) ? WireField.Id : WireField.Unknown,
        4 => n.SequenceEqual("user"u8) ? WireField.User
            : n.SequenceEqual("tags"u8) ? WireField.Tags
            : n.SequenceEqual("type"u8) ? WireField.Type
            : n.SequenceEqual("time"u8) ? WireField.Time
            : n.SequenceEqual("data"u8) ? WireField.Data : WireField.Unknown,
        5 => n.SequenceEqual("model"u8) ? WireField.Model
            : n.SequenceEqual("route"u8) ? WireField.Route
            : n.SequenceEqual("batch"u8) ? WireField.Batch
            : n.SequenceEqual("usage"u8) ? WireField.Usage : WireField.Unknown,
        6 => n.SequenceEqual("tenant"u8) ? WireField.Tenant
            : n.SequenceEqual("images"u8) ? WireField.Images
            : n.SequenceEqual("status"u8) ? WireField.Status
            : n.SequenceEqual("source"u8) ? WireField.Source : WireField.Unknown,
        7 => n.SequenceEqual("project"u8) ? WireField.Project
            : n.SequenceEqual("feature"u8) ? WireField.Feature : WireField.Unknown,
        8 => n.SequenceEqual("event_id"u8) ? WireField.EventId
            : n.SequenceEqual("provider"u8) ? WireField.Provider : WireField.Unknown,
        9 => n.SequenceEqual("timestamp"u8) ? WireField.Timestamp : WireField.Unknown,
        10 => n.SequenceEqual("latency_ms"u8) ? WireField.LatencyMs
            : n.SequenceEqual("error_type"u8) ? WireField.ErrorType
            : n.SequenceEqual("deployment"u8) ? WireField.Deployment
            : n.SequenceEqual("characters"u8) ? WireField.Characters : WireField.Unknown,
        11 => n.SequenceEqual("prompt_hash"u8) ? WireField.PromptHash
            : n.SequenceEqual("interactive"u8) ? WireField.Interactive
            : n.SequenceEqual("temperature"u8) ? WireField.Temperature
            : n.SequenceEqual("prompt_text"u8) ? WireField.PromptText
            : n.SequenceEqual("usage_style"u8) ? WireField.UsageStyle
            : n.SequenceEqual("specversion"u8) ? WireField.SpecVersion
            : n.SequenceEqual("data_base64"u8) ? WireField.DataBase64 : WireField.Unknown,
        12 => n.SequenceEqual("input_tokens"u8) ? WireField.InputTokens
            : n.SequenceEqual("request_hash"u8) ? WireField.RequestHash
            : n.SequenceEqual("web_searches"u8) ? WireField.WebSearches
            : n.SequenceEqual("service_tier"u8) ? WireField.ServiceTier : WireField.Unknown,
        13 => n.SequenceEqual("output_tokens"u8) ? WireField.OutputTokens
            : n.SequenceEqual("prompt_tokens"u8) ? WireField.PromptTokens
            : n.SequenceEqual("cached_tokens"u8) ? WireField.CachedTokens
            : n.SequenceEqual("audio_seconds"u8) ? WireField.AudioSeconds
            : n.SequenceEqual("video_seconds"u8) ? WireField.VideoSeconds : WireField.Unknown,
        15 => n.SequenceEqual("completion_text"u8) ? WireField.CompletionText
            : n.SequenceEqual("datacontenttype"u8) ? WireField.DataContentType
            : n.SequenceEqual("deployment_type"u8) ? WireField.DeploymentType : WireField.Unknown,
        16 => n.SequenceEqual("reasoning_tokens"u8) ? WireField.ReasoningTokens : WireField.Unknown,
        17 => n.SequenceEqual("completion_tokens"u8) ? WireField.CompletionTokens : WireField.Unknown,
        18 => n.SequenceEqual("cache_write_tokens"u8) ? WireField.CacheWriteTokens : WireField.Unknown,
        19 => n.SequenceEqual("cached_input_tokens"u8) ? WireField.CachedInputTokens : WireField.Unknown,
        20 => n.SequenceEqual("input_tokens_details"u8) ? WireField.InputTokensDetails : WireField.Unknown,
        21 => n.SequenceEqual("prompt_tokens_details"u8) ? WireField.PromptTokensDetails
            : n.SequenceEqual("output_tokens_details"u8) ? WireField.OutputTokensDetails : WireField.Unknown,
        23 => n.SequenceEqual("cache_read_input_tokens"u8) ? WireField.CacheReadInputTokens : WireField.Unknown,
        25 => n.SequenceEqual("completion_tokens_details"u8) ? WireField.CompletionTokensDetails : WireField.Unknown,
        27 => n.SequenceEqual("cache_creation_input_tokens"u8) ? WireField.CacheCreationInputTokens : WireField.Unknown,
        _ => WireField.Unknown,
    };

    /// <summary>The wire name of <paramref name="field"/> (for messages).</summary>
    public static string Name(WireField field) => field switch
    {
        WireField.Id => "id",
        WireField.User => "user",
        WireField.Tags => "tags",
        WireField.Type => "type",
        WireField.Time => "time",
        WireField.Data => "data",
        WireField.Model => "model",
        WireField.Route => "route",
        WireField.Batch => "batch",
        WireField.Usage => "usage",
        WireField.Tenant => "tenant",
        WireField.Status => "status",
        WireField.Source => "source",
        WireField.Project => "project",
        WireField.Feature => "feature",
        WireField.EventId => "event_id",
        WireField.Provider => "provider",
        WireField.Timestamp => "timestamp",
        WireField.LatencyMs => "latency_ms",
        WireField.ErrorType => "error_type",
        WireField.Deployment => "deployment",
        WireField.PromptHash => "prompt_hash",
        WireField.Interactive => "interactive",
        WireField.PromptText => "prompt_text",
        WireField.UsageStyle => "usage_style",
        WireField.SpecVersion => "specversion",
        WireField.DataBase64 => "data_base64",
        WireField.InputTokens => "input_tokens",
        WireField.OutputTokens => "output_tokens",
        WireField.PromptTokens => "prompt_tokens",
        WireField.CachedTokens => "cached_tokens",
        WireField.CompletionText => "completion_text",
        WireField.DataContentType => "datacontenttype",
        WireField.ReasoningTokens => "reasoning_tokens",
        WireField.CompletionTokens => "completion_tokens",
        WireField.CacheWriteTokens => "cache_write_tokens",
        WireField.CachedInputTokens => "cached_input_tokens",
        WireField.InputTokensDetails => "input_tokens_details",
        WireField.PromptTokensDetails => "prompt_tokens_details",
        WireField.OutputTokensDetails => "output_tokens_details",
        WireField.CacheReadInputTokens => "cache_read_input_tokens",
        WireField.CompletionTokensDetails => "completion_tokens_details",
        WireField.CacheCreationInputTokens => "cache_creation_input_tokens",
        WireField.Images => "images",
        WireField.AudioSeconds => "audio_seconds",
        WireField.VideoSeconds => "video_seconds",
        WireField.Characters => "characters",
        WireField.WebSearches => "web_searches",
        WireField.ServiceTier => "service_tier",
        WireField.DeploymentType => "deployment_type",
        _ => "unknown",
    };
}
