using System.Buffers;
using System.Globalization;

namespace CostOps.Core.Ingestion;

/// <summary>
/// The rules of usage event v1 on an already-typed <see cref="UsageEvent"/>: required fields, count ranges and the
/// relations between counts, units and service tier, timestamp window, string bounds, tags. Reports the first failing rule, checking in a
/// fixed order (event_id, timestamp, tenant, model, counts, count relations, units, tiers, optional strings, latency, tags,
/// texts), so one bad event always yields the same code. Thread-safe.
/// </summary>
public sealed class UsageEventValidator
{
    // C0 controls, DEL and C1 controls: invisible, break logs and terminals, and are never part of a real id.
    private static readonly SearchValues<char> ControlChars = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F");

    private readonly TimeProvider _timeProvider;

    /// <summary>
    /// Creates a validator that reads "now" (for the timestamp accept window) from <paramref name="timeProvider"/>.
    /// </summary>
    /// <param name="maxEventAge">How far back a timestamp may lie (default <see cref="UsageEventLimits.DefaultMaxEventAge"/>).</param>
    public UsageEventValidator(TimeProvider timeProvider, TimeSpan? maxEventAge = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxEventAge ?? UsageEventLimits.DefaultMaxEventAge, TimeSpan.Zero, nameof(maxEventAge));
        _timeProvider = timeProvider;
        MaxEventAge = maxEventAge ?? UsageEventLimits.DefaultMaxEventAge;
    }

    /// <summary>The current time according to the validator's clock.</summary>
    public DateTimeOffset UtcNow => _timeProvider.GetUtcNow();

    /// <summary>How far back of "now" a timestamp is accepted.</summary>
    public TimeSpan MaxEventAge { get; }

    /// <summary>Validates against the clock's current time. Null means valid.</summary>
    public UsageEventRejection? Validate(UsageEvent usageEvent) => Validate(usageEvent, _timeProvider.GetUtcNow(), MaxEventAge);

    /// <summary>
    /// Validates with a caller-supplied "now" (read once per batch by the parser). Null means valid; otherwise the
    /// first failing rule.
    /// </summary>
    /// <param name="maxEventAge">The accept window's depth (default <see cref="UsageEventLimits.DefaultMaxEventAge"/>).</param>
    public static UsageEventRejection? Validate(UsageEvent usageEvent, DateTimeOffset now, TimeSpan? maxEventAge = null)
    {
        ArgumentNullException.ThrowIfNull(usageEvent);
        var e = usageEvent;
        var problem =
            CheckEventId(e.EventId)
            ?? CheckTimestamp(e.Timestamp, now, maxEventAge ?? UsageEventLimits.DefaultMaxEventAge)
            ?? CheckRequiredName("tenant", e.Tenant, UsageEventLimits.MaxNameLength)
            ?? CheckRequiredName("model", e.Model, UsageEventLimits.MaxNameLength)
            ?? CheckCounts(e)
            ?? CheckUnits(e)
            ?? CheckOptional("provider", e.Provider, UsageEventLimits.MaxShortNameLength)
            ?? CheckOptional("project", e.Project, UsageEventLimits.MaxNameLength)
            ?? CheckOptional("user", e.User, UsageEventLimits.MaxUserLength)
            ?? CheckOptional("feature", e.Feature, UsageEventLimits.MaxNameLength)
            ?? CheckOptional("deployment", e.Deployment, UsageEventLimits.MaxNameLength)
            ?? CheckOptional("status", e.Status, UsageEventLimits.MaxShortNameLength)
            ?? CheckOptional("error_type", e.ErrorType, UsageEventLimits.MaxErrorTypeLength)
            ?? CheckOptional("prompt_hash", e.PromptHash, UsageEventLimits.MaxPromptHashLength)
            ?? CheckOptional("request_hash", e.RequestHash, UsageEventLimits.MaxRequestHashLength)
            ?? CheckAlphabet("tenant", e.Tenant, DimensionNames.IsValidTenant)
            ?? CheckAlphabet("project", e.Project, DimensionNames.IsValidProject)
            ?? CheckAlphabet("feature", e.Feature, DimensionNames.IsValidFeature)
            ?? CheckTemperature(e.Temperature)
            ?? CheckLatency(e.LatencyMs)
            ?? CheckTags(e.Tags)
            ?? CheckText("prompt_text", e.PromptText)
            ?? CheckText("completion_text", e.CompletionText);
        return problem is null ? null : problem with { EventId = Printable(e.EventId), Tenant = Printable(e.Tenant) };
    }

    /// <summary>True when <paramref name="value"/> holds a C0/C1 control character.</summary>
    internal static bool HasControlChars(ReadOnlySpan<char> value) => value.ContainsAny(ControlChars);

    private static UsageEventRejection? CheckEventId(string? id)
    {
        if (id is null)
            return Problem("event_id", RejectCodes.MissingSuffix, "event_id is required");
        if (string.IsNullOrWhiteSpace(id))
            return Problem("event_id", RejectCodes.EmptySuffix, "event_id must not be empty or whitespace");
        if (id.Length > UsageEventLimits.MaxEventIdLength)
            return TooLong("event_id", id.Length, UsageEventLimits.MaxEventIdLength);
        if (HasControlChars(id))
            return Problem("event_id", RejectCodes.InvalidSuffix, "event_id must be printable (no control characters)");
        return null;
    }

    private static UsageEventRejection? CheckTimestamp(DateTimeOffset timestamp, DateTimeOffset now, TimeSpan maxEventAge)
    {
        if (timestamp < UsageEventLimits.MinTimestamp)
            return new UsageEventRejection(RejectCodes.TimestampTooOld,
                $"timestamp must be at or after {UsageEventLimits.MinTimestamp:yyyy-MM-dd}, got {Iso(timestamp)}");
        if (timestamp < now - maxEventAge)
            return new UsageEventRejection(RejectCodes.TimestampBeforeWindow,
                $"timestamp must be at most {maxEventAge.TotalDays:0.##} days before now ({Iso(now)}): the accept window starts at {Iso(now - maxEventAge)}, got {Iso(timestamp)} (a broken producer clock, or history to load with a wider Ingestion:MaxEventAgeDays)");
        if (timestamp > now + UsageEventLimits.MaxFutureSkew)
            return new UsageEventRejection(RejectCodes.TimestampInFuture,
                $"timestamp must be at most {UsageEventLimits.MaxFutureSkew.TotalHours:0} h ahead of now ({Iso(now)}), got {Iso(timestamp)}");
        return null;
    }

    private static UsageEventRejection? CheckRequiredName(string field, string? value, int max)
    {
        if (value is null)
            return Problem(field, RejectCodes.MissingSuffix, $"{field} is required");
        if (string.IsNullOrWhiteSpace(value))
            return Problem(field, RejectCodes.EmptySuffix, $"{field} must not be empty or whitespace");
        return CheckOptional(field, value, max);
    }

    private static UsageEventRejection? CheckOptional(string field, string? value, int max)
    {
        if (value is null)
            return null;
        if (value.Length > max)
            return TooLong(field, value.Length, max);
        if (HasControlChars(value))
            return Problem(field, RejectCodes.InvalidSuffix, $"{field} must be printable (no control characters)");
        return null;
    }

    private static UsageEventRejection? CheckAlphabet(string field, string? value, Func<string, bool> valid) =>
        value is null || valid(value)
            ? null
            : Problem(field, RejectCodes.CharsetSuffix,
                $"{field} must be letters, digits and . _ - : @{(field == "feature" ? " /" : "")}, starting with a letter or digit{(field == "feature" ? " or /" : "")} (got '{Preview(Printable(value))}')");

    private static UsageEventRejection? CheckCounts(UsageEvent e)
    {
        if (e.InputTokens is null && e.PromptText is null)
            return Problem("input_tokens", RejectCodes.MissingSuffix,
                "input_tokens is required (it may be omitted only when prompt_text is sent for estimation)");
        if (e.OutputTokens is null && e.CompletionText is null)
            return Problem("output_tokens", RejectCodes.MissingSuffix,
                "output_tokens is required (it may be omitted only when completion_text is sent for estimation)");
        var problem = CheckCount("input_tokens", e.InputTokens)
            ?? CheckCount("output_tokens", e.OutputTokens)
            ?? CheckCount("cached_input_tokens", e.CachedInputTokens)
            ?? CheckCount("cache_write_tokens", e.CacheWriteTokens)
            ?? CheckCount("reasoning_tokens", e.ReasoningTokens);
        if (problem is not null)
            return problem;

        long cacheParts = (e.CachedInputTokens ?? 0) + (e.CacheWriteTokens ?? 0);
        if (cacheParts > 0 && e.InputTokens is null)
            return Problem("input_tokens", RejectCodes.MissingSuffix,
                "input_tokens is required when cached_input_tokens or cache_write_tokens is given");
        if (cacheParts > e.InputTokens)
            return new UsageEventRejection(RejectCodes.CacheTokensExceedInput,
                $"cached_input_tokens + cache_write_tokens must be <= input_tokens (they are parts of it), got {e.CachedInputTokens ?? 0} + {e.CacheWriteTokens ?? 0} > {e.InputTokens}");
        long reasoning = e.ReasoningTokens ?? 0;
        if (reasoning > 0 && e.OutputTokens is null)
            return Problem("output_tokens", RejectCodes.MissingSuffix,
                "output_tokens is required when reasoning_tokens is given");
        if (reasoning > e.OutputTokens)
            return new UsageEventRejection(RejectCodes.ReasoningTokensExceedOutput,
                $"reasoning_tokens must be <= output_tokens (they are part of it), got {reasoning} > {e.OutputTokens}");
        return null;
    }

    /// <summary>The range rule shared with the parser, so both report the same code for the same value.</summary>
    internal static UsageEventRejection? CheckCount(string field, long? value, long max = UsageEventLimits.MaxTokenCount)
    {
        if (value is not { } v)
            return null;
        if (v < 0)
            return Problem(field, RejectCodes.NegativeSuffix, $"{field} must be >= 0, got {v.ToString(CultureInfo.InvariantCulture)}");
        if (v > max)
            return Problem(field, RejectCodes.TooLargeSuffix,
                $"{field} must be <= {max.ToString(CultureInfo.InvariantCulture)}, got {v.ToString(CultureInfo.InvariantCulture)}");
        return null;
    }

    /// <summary>
    /// The seconds rule shared with the parser: 0 to <see cref="UsageEventLimits.MaxSeconds"/>, at most
    /// <see cref="UsageEventLimits.SecondsScale"/> decimal places (the stored precision, so stored and priced agree).
    /// </summary>
    internal static UsageEventRejection? CheckSeconds(string field, decimal? value)
    {
        if (value is not { } v)
            return null;
        if (v < 0)
            return Problem(field, RejectCodes.NegativeSuffix, $"{field} must be >= 0, got {v.ToString(CultureInfo.InvariantCulture)}");
        if (v > UsageEventLimits.MaxSeconds)
            return Problem(field, RejectCodes.TooLargeSuffix,
                $"{field} must be <= {UsageEventLimits.MaxSeconds.ToString(CultureInfo.InvariantCulture)} (one week), got {v.ToString(CultureInfo.InvariantCulture)}");
        if (decimal.Round(v, UsageEventLimits.SecondsScale) != v)
            return Problem(field, RejectCodes.InvalidSuffix,
                $"{field} must have at most {UsageEventLimits.SecondsScale} decimal places (microseconds), got {v.ToString(CultureInfo.InvariantCulture)}");
        return null;
    }

    private static UsageEventRejection? CheckUnits(UsageEvent e) =>
        CheckCount("images", e.Images, UsageEventLimits.MaxImages)
        ?? CheckSeconds("audio_seconds", e.AudioSeconds)
        ?? CheckSeconds("video_seconds", e.VideoSeconds)
        ?? CheckCount("characters", e.Characters, UsageEventLimits.MaxCharacters)
        ?? CheckCount("web_searches", e.WebSearches, UsageEventLimits.MaxWebSearches)
        ?? CheckName("service_tier", e.ServiceTier, ServiceTierNames.IsKnown, ServiceTierNames.Accepted)
        ?? CheckName("deployment_type", e.DeploymentType, DeploymentTypeNames.IsKnown, DeploymentTypeNames.Accepted)
        ?? CheckTierAndBatch(e);

    private static UsageEventRejection? CheckName(string field, string? value, Func<string, bool> known, string accepted) =>
        value is null || known(value)
            ? null
            : Problem(field, RejectCodes.InvalidSuffix, $"{field} must be {accepted}, got '{Preview(Printable(value))}'");

    // A batch call served at priority or flex, or a batch tier on a call said not to be batch: which price applies?
    private static UsageEventRejection? CheckTierAndBatch(UsageEvent e)
    {
        var batchTier = e.ServiceTier == ServiceTierNames.Batch;
        if (e.Batch == true && e.ServiceTier is not null && !batchTier && e.ServiceTier != ServiceTierNames.Default)
            return new UsageEventRejection(RejectCodes.ServiceTierConflict,
                $"batch: true contradicts service_tier '{e.ServiceTier}' (a batch call is priced at batch prices; send service_tier 'batch' or leave it out)");
        if (e.Batch == false && batchTier)
            return new UsageEventRejection(RejectCodes.ServiceTierConflict,
                "batch: false contradicts service_tier 'batch' (leave batch out, or send the tier the call was served at)");
        return null;
    }

    /// <summary>The latency rule shared with the parser.</summary>
    internal static UsageEventRejection? CheckLatency(long? latencyMs)
    {
        if (latencyMs is not { } v)
            return null;
        if (v < 0)
            return Problem("latency_ms", RejectCodes.NegativeSuffix, $"latency_ms must be >= 0, got {v.ToString(CultureInfo.InvariantCulture)}");
        if (v > UsageEventLimits.MaxLatencyMs)
            return Problem("latency_ms", RejectCodes.TooLargeSuffix,
                $"latency_ms must be <= {UsageEventLimits.MaxLatencyMs.ToString(CultureInfo.InvariantCulture)}, got {v.ToString(CultureInfo.InvariantCulture)}");
        return null;
    }

    /// <summary>The temperature rule shared with the parser: 0 to <see cref="UsageEventLimits.MaxTemperature"/>.</summary>
    internal static UsageEventRejection? CheckTemperature(decimal? temperature)
    {
        if (temperature is not { } t)
            return null;
        if (t < 0)
            return Problem("temperature", RejectCodes.NegativeSuffix, $"temperature must be >= 0, got {t.ToString(CultureInfo.InvariantCulture)}");
        if (t > UsageEventLimits.MaxTemperature)
            return Problem("temperature", RejectCodes.TooLargeSuffix,
                $"temperature must be <= {UsageEventLimits.MaxTemperature.ToString(CultureInfo.InvariantCulture)}, got {t.ToString(CultureInfo.InvariantCulture)}");
        return null;
    }

    private static UsageEventRejection? CheckTags(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null)
            return null;
        if (tags.Count > UsageEventLimits.MaxTags)
            return new UsageEventRejection(RejectCodes.TagsTooMany, $"tags must hold at most {UsageEventLimits.MaxTags} entries, got {tags.Count}");
        foreach (var (key, value) in tags)
        {
            var problem = CheckTagKey(key) ?? CheckTagValue(key, value);
            if (problem is not null)
                return problem;
        }
        return null;
    }

    /// <summary>The tag key rule shared with the parser.</summary>
    internal static UsageEventRejection? CheckTagKey(string key)
    {
        if (key.Length == 0)
            return new UsageEventRejection(RejectCodes.TagKeyInvalid, "tag keys must not be empty");
        if (key.Length > UsageEventLimits.MaxTagKeyLength)
            return new UsageEventRejection(RejectCodes.TagKeyInvalid,
                $"tag keys must be at most {UsageEventLimits.MaxTagKeyLength} characters, got {key.Length} (key starts '{Preview(key)}')");
        if (HasControlChars(key))
            return new UsageEventRejection(RejectCodes.TagKeyInvalid, $"tag keys must be printable (no control characters), key '{Preview(key)}'");
        return null;
    }

    private static UsageEventRejection? CheckTagValue(string key, string? value)
    {
        if (value is null)
            return new UsageEventRejection(RejectCodes.TagValueWrongType, $"tag '{Preview(key)}' must have a string value, got null");
        if (value.Length > UsageEventLimits.MaxTagValueLength)
            return TagValueTooLong(key, value.Length);
        return null;
    }

    internal static UsageEventRejection TagValueTooLong(string key, int length) =>
        new(RejectCodes.TagValueTooLong,
            $"tag '{Preview(key)}' must have a value of at most {UsageEventLimits.MaxTagValueLength} characters, got {length}");

    private static UsageEventRejection? CheckText(string field, string? text) =>
        text is not null && text.Length > UsageEventLimits.MaxTextLength
            ? TooLong(field, text.Length, UsageEventLimits.MaxTextLength)
            : null;

    internal static UsageEventRejection Problem(string field, string suffix, string message) => new(field + suffix, message);

    internal static UsageEventRejection TooLong(string field, long length, int max) =>
        Problem(field, RejectCodes.TooLongSuffix, $"{field} must be at most {max} characters, got {length}");

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Preview(string s) => s.Length <= 32 ? s : string.Concat(s.AsSpan(0, 32), "...");

    // Rejects keep ids for tracing, but never an oversize or unprintable one (that is what was wrong with it).
    private static string Printable(string? s) =>
        s is null || s.Length > UsageEventLimits.MaxEventIdLength || HasControlChars(s) ? "" : s;
}
