namespace CostOps.Core.Ingestion;

/// <summary>
/// Stable, machine-readable rejection codes. Field problems are <c>{field}_{problem}</c> with a problem from the
/// <c>*Suffix</c> constants (e.g. <c>input_tokens_negative</c>); the rest are whole-payload or cross-field codes.
/// The full list is in <c>docs/usage-event.md</c>; codes are part of the contract, so never rename one.
/// </summary>
public static class RejectCodes
{
    /// <summary>The payload is empty or whitespace.</summary>
    public const string PayloadEmpty = "payload_empty";

    /// <summary>The payload does not start like JSON (<c>{</c> or <c>[</c>), or is a bare JSON scalar.</summary>
    public const string PayloadNotJson = "payload_not_json";

    /// <summary>A JSON document (array, or multi-line object) that is not well-formed; rejected as a whole.</summary>
    public const string PayloadMalformedJson = "payload_malformed_json";

    /// <summary>A payload with more events than one request may carry (<c>Ingestion:MaxEventsPerRequest</c>); refused whole.</summary>
    public const string PayloadTooManyEvents = "payload_too_many_events";

    /// <summary>One NDJSON line that is not well-formed JSON (only that line is rejected).</summary>
    public const string EventMalformedJson = "event_malformed_json";

    /// <summary>An array element or NDJSON line that is not a JSON object.</summary>
    public const string EventNotObject = "event_not_object";

    /// <summary>A CloudEvents envelope without its required attributes, or with an unsupported <c>specversion</c>.</summary>
    public const string CloudEventInvalid = "cloudevent_invalid";

    /// <summary>A CloudEvents envelope whose <c>data</c>/<c>data_base64</c> is missing or not a JSON object.</summary>
    public const string CloudEventDataInvalid = "cloudevent_data_invalid";

    /// <summary><c>cached_input_tokens + cache_write_tokens</c> exceeds <c>input_tokens</c>.</summary>
    public const string CacheTokensExceedInput = "cache_tokens_exceed_input";

    /// <summary><c>reasoning_tokens</c> exceeds <c>output_tokens</c>.</summary>
    public const string ReasoningTokensExceedOutput = "reasoning_tokens_exceed_output";

    /// <summary>The same usage is given twice (top level and <c>usage</c>, or OTel and Anthropic fields together).</summary>
    public const string UsageConflict = "usage_conflict";

    /// <summary><c>batch</c> and <c>service_tier</c> disagree (batch: true at priority or flex, or batch: false with service_tier 'batch').</summary>
    public const string ServiceTierConflict = "service_tier_conflict";

    /// <summary><c>usage_style</c> is not one of <c>otel</c>, <c>anthropic</c>, <c>openai</c>.</summary>
    public const string UsageStyleInvalid = "usage_style_invalid";

    /// <summary><c>tags</c> holds more than <see cref="UsageEventLimits.MaxTags"/> entries.</summary>
    public const string TagsTooMany = "tags_too_many";

    /// <summary>A tag key is empty, too long or holds control characters.</summary>
    public const string TagKeyInvalid = "tag_key_invalid";

    /// <summary>A tag value is longer than <see cref="UsageEventLimits.MaxTagValueLength"/>.</summary>
    public const string TagValueTooLong = "tag_value_too_long";

    /// <summary>A tag value is not a string, number or boolean.</summary>
    public const string TagValueWrongType = "tag_value_wrong_type";

    /// <summary>A tag value that does not decode (invalid UTF-8, a lone UTF-16 surrogate escape).</summary>
    public const string TagValueInvalid = "tag_value_invalid";

    /// <summary>A known property (or tag key) given twice in one object: ambiguous, so refused whatever the values.</summary>
    public const string DuplicateProperty = "duplicate_property";

    /// <summary>
    /// A valid event that storage refused on its own while its neighbours were stored (a poison event, isolated by
    /// splitting its batch); recorded with its normalised JSON so the rest of the stream moves on.
    /// </summary>
    public const string StoreFailed = "store_failed";

    /// <summary>The event's tenant is not one the sending key may write for (the key's other events still land).</summary>
    public const string TenantNotAllowed = "tenant_not_allowed";

    /// <summary>Suffix: a required field is absent or null.</summary>
    public const string MissingSuffix = "_missing";

    /// <summary>Suffix: the JSON type is wrong (e.g. a string where a number is expected).</summary>
    public const string WrongTypeSuffix = "_wrong_type";

    /// <summary>Suffix: a count has a fractional part.</summary>
    public const string NotIntegerSuffix = "_not_integer";

    /// <summary>Suffix: a count or latency is below zero.</summary>
    public const string NegativeSuffix = "_negative";

    /// <summary>Suffix: a count or latency is above its bound.</summary>
    public const string TooLargeSuffix = "_too_large";

    /// <summary>Suffix: a string is longer than its bound.</summary>
    public const string TooLongSuffix = "_too_long";

    /// <summary>Suffix: a string is empty or whitespace where a value is needed.</summary>
    public const string EmptySuffix = "_empty";

    /// <summary>Suffix: a tenant, project or feature holds a character outside the name alphabet (<see cref="DimensionNames"/>).</summary>
    public const string CharsetSuffix = "_charset";

    /// <summary>Suffix: a value is malformed (control characters, invalid UTF-8, not RFC 3339, ...).</summary>
    public const string InvalidSuffix = "_invalid";

    /// <summary><c>timestamp</c> is more than <see cref="UsageEventLimits.MaxFutureSkew"/> ahead of the clock.</summary>
    public const string TimestampInFuture = "timestamp_in_future";

    /// <summary><c>timestamp</c> lies further back than the accept window (<see cref="UsageEventLimits.DefaultMaxEventAge"/> by default).</summary>
    public const string TimestampBeforeWindow = "timestamp_before_window";

    /// <summary><c>timestamp</c> is before <see cref="UsageEventLimits.MinTimestamp"/>.</summary>
    public const string TimestampTooOld = "timestamp_too_old";
}
