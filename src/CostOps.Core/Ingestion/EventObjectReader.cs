using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace CostOps.Core.Ingestion;

/// <summary>
/// Reads one JSON object into <see cref="EventFields"/> in a single forward pass of a <see cref="Utf8JsonReader"/>.
/// Type problems are recorded (first one wins) without throwing, and the reader always ends on the object's
/// <c>EndObject</c>, so the next array element can follow. Only malformed JSON throws (<see cref="JsonException"/>):
/// text the reader accepts but cannot decode (a lone surrogate escape such as <c>"\ud83d"</c>, invalid UTF-8) is a
/// recorded problem, never an exception, and a known property given twice is refused as ambiguous (which of
/// <c>"input_tokens":1000000</c> and <c>"input_tokens":1000</c> would be billed?).
/// </summary>
internal sealed class EventObjectReader
{
    // Escaped property names are rare; a known name is at most 27 bytes, so anything longer escaped is unknown.
    private const int MaxEscapedNameBytes = 256;

    private readonly Utf8InternCache _intern;

    public EventObjectReader(Utf8InternCache intern) => _intern = intern;

    /// <summary>
    /// Reads the object the reader is positioned on. <paramref name="data"/> receives a CloudEvents <c>data</c>
    /// object; pass a null ref when reading <c>data</c> itself (envelopes do not nest).
    /// </summary>
    public void ReadObject(ref Utf8JsonReader r, ref EventFields f, ref EventFields data)
    {
        bool envelopeAllowed = !Unsafe.IsNullRef(ref data);
        ulong seen = 0;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldName(ref r);
            if (!envelopeAllowed && IsEnvelopeAttribute(field))
                field = WireField.Unknown; // inside data, envelope names are ordinary unknown members
            r.Read();
            if (!FirstTime(ref seen, field))
            {
                var duplicate = DuplicateProperty(WireFields.Name(field));
                if (IsEnvelopeAttribute(field)) f.EnvelopeError ??= duplicate;
                else f.Fail(duplicate);
                r.Skip();
                continue;
            }
            // After the first problem only the ids that label the reject, and the envelope (whose data is read
            // apart from its top-level members), are worth reading.
            if (f.Error is not null && field is not (WireField.EventId or WireField.Tenant or WireField.SpecVersion
                    or WireField.Id or WireField.Source or WireField.Type or WireField.Time or WireField.DataContentType
                    or WireField.Data or WireField.DataBase64))
            {
                r.Skip();
                continue;
            }
            switch (field)
            {
                case WireField.EventId: f.EventId = ReadString(ref r, ref f, "event_id", UsageEventLimits.MaxEventIdLength, intern: false); break;
                case WireField.Timestamp: f.Timestamp = ReadTimestamp(ref r, ref f); break;
                case WireField.Tenant: f.Tenant = ReadString(ref r, ref f, "tenant", UsageEventLimits.MaxNameLength, intern: true); break;
                case WireField.Model: f.Model = ReadString(ref r, ref f, "model", UsageEventLimits.MaxNameLength, intern: true); break;
                case WireField.Provider: f.Provider = ReadString(ref r, ref f, "provider", UsageEventLimits.MaxShortNameLength, intern: true); break;
                case WireField.Project: f.Project = ReadString(ref r, ref f, "project", UsageEventLimits.MaxNameLength, intern: true); break;
                case WireField.User: f.User = ReadString(ref r, ref f, "user", UsageEventLimits.MaxUserLength, intern: false); break;
                case WireField.Feature: f.Feature = ReadString(ref r, ref f, "feature", UsageEventLimits.MaxNameLength, intern: true); break;
                case WireField.Route: f.Route = ReadString(ref r, ref f, "feature", UsageEventLimits.MaxNameLength, intern: true); break;
                case WireField.Deployment: f.Deployment = ReadString(ref r, ref f, "deployment", UsageEventLimits.MaxNameLength, intern: true); break;
                case WireField.Status: f.Status = ReadString(ref r, ref f, "status", UsageEventLimits.MaxShortNameLength, intern: true); break;
                case WireField.ErrorType: f.ErrorType = ReadString(ref r, ref f, "error_type", UsageEventLimits.MaxErrorTypeLength, intern: true); break;
                case WireField.PromptHash: f.PromptHash = ReadString(ref r, ref f, "prompt_hash", UsageEventLimits.MaxPromptHashLength, intern: false); break;
                case WireField.RequestHash: f.RequestHash = ReadString(ref r, ref f, "request_hash", UsageEventLimits.MaxRequestHashLength, intern: false); break;
                case WireField.Temperature:
                    f.Temperature = ReadDecimal(ref r, ref f, "temperature", UsageEventLimits.MaxTemperature, static (_, t) => UsageEventValidator.CheckTemperature(t));
                    break;
                case WireField.PromptText: f.PromptText = ReadString(ref r, ref f, "prompt_text", UsageEventLimits.MaxTextLength, intern: false); break;
                case WireField.CompletionText: f.CompletionText = ReadString(ref r, ref f, "completion_text", UsageEventLimits.MaxTextLength, intern: false); break;
                case WireField.InputTokens: f.InputTokens = ReadCount(ref r, ref f, "input_tokens"); break;
                case WireField.OutputTokens: f.OutputTokens = ReadCount(ref r, ref f, "output_tokens"); break;
                case WireField.CachedInputTokens: f.CachedInputTokens = ReadCount(ref r, ref f, "cached_input_tokens"); break;
                case WireField.CacheWriteTokens: f.CacheWriteTokens = ReadCount(ref r, ref f, "cache_write_tokens"); break;
                case WireField.ReasoningTokens: f.ReasoningTokens = ReadCount(ref r, ref f, "reasoning_tokens"); break;
                case WireField.CacheReadInputTokens: f.CacheReadInputTokens = ReadCount(ref r, ref f, "cache_read_input_tokens"); break;
                case WireField.CacheCreationInputTokens: f.CacheCreationInputTokens = ReadCount(ref r, ref f, "cache_creation_input_tokens"); break;
                case WireField.Images: f.Images = ReadCount(ref r, ref f, "images", UsageEventLimits.MaxImages); break;
                case WireField.AudioSeconds: f.AudioSeconds = ReadDecimal(ref r, ref f, "audio_seconds", UsageEventLimits.MaxSeconds, UsageEventValidator.CheckSeconds); break;
                case WireField.VideoSeconds: f.VideoSeconds = ReadDecimal(ref r, ref f, "video_seconds", UsageEventLimits.MaxSeconds, UsageEventValidator.CheckSeconds); break;
                case WireField.Characters: f.Characters = ReadCount(ref r, ref f, "characters", UsageEventLimits.MaxCharacters); break;
                case WireField.WebSearches: f.WebSearches = ReadCount(ref r, ref f, "web_searches", UsageEventLimits.MaxWebSearches); break;
                case WireField.ServiceTier: f.ServiceTier = ReadName(ref r, ref f, "service_tier", ServiceTierNames.Lookup, ServiceTierNames.Accepted); break;
                case WireField.DeploymentType: f.DeploymentType = ReadName(ref r, ref f, "deployment_type", DeploymentTypeNames.Lookup, DeploymentTypeNames.Accepted); break;
                case WireField.Batch: f.Batch = ReadBool(ref r, ref f, "batch"); break;
                case WireField.Interactive: f.Interactive = ReadBool(ref r, ref f, "interactive"); break;
                case WireField.LatencyMs: f.LatencyMs = ReadLatency(ref r, ref f); break;
                case WireField.Tags: f.Tags = ReadTags(ref r, ref f); break;
                case WireField.UsageStyle: f.Style = ReadUsageStyle(ref r, ref f); break;
                case WireField.Usage: ReadUsage(ref r, ref f); break;
                case WireField.SpecVersion:
                    f.HasSpecVersion = true;
                    f.SpecVersion = EnvelopeString(ref r);
                    break;
                case WireField.Id: f.CeId = EnvelopeString(ref r); break;
                case WireField.Source: f.CeSource = EnvelopeString(ref r); break;
                case WireField.Type: f.CeType = EnvelopeString(ref r); break;
                case WireField.DataContentType: f.CeDataContentType = EnvelopeString(ref r); break;
                case WireField.DataBase64: f.DataBase64 = EnvelopeString(ref r); break;
                case WireField.Time:
                    if (r.TokenType == JsonTokenType.String)
                    {
                        f.CeTimeText = TryGetString(ref r) ?? "(not decodable)";
                        f.CeTime = Rfc3339.TryParse(r.ValueSpan, out var time) && !r.ValueIsEscaped ? time : null;
                    }
                    r.Skip();
                    break;
                case WireField.Data:
                    if (r.TokenType == JsonTokenType.StartObject)
                    {
                        f.Data = DataKind.Object;
                        ReadObject(ref r, ref data, ref Unsafe.NullRef<EventFields>());
                    }
                    else
                    {
                        f.Data = r.TokenType == JsonTokenType.Null ? DataKind.Null : DataKind.Other;
                        r.Skip();
                    }
                    break;
                default:
                    // Unknown members are allowed (forward compatibility), and so are the envelope names in data.
                    r.Skip();
                    break;
            }
        }
    }

    private static WireField FieldName(ref Utf8JsonReader r)
    {
        if (!r.ValueIsEscaped)
            return WireFields.Lookup(r.ValueSpan);
        if (r.ValueSpan.Length > MaxEscapedNameBytes)
            return WireField.Unknown;
        Span<byte> buffer = stackalloc byte[MaxEscapedNameBytes];
        try
        {
            return WireFields.Lookup(buffer[..r.CopyString(buffer)]);
        }
        catch (InvalidOperationException)
        {
            return WireField.Unknown; // a lone surrogate escape: no known name has one
        }
    }

    private static bool IsEnvelopeAttribute(WireField field) =>
        field is WireField.SpecVersion or WireField.Id or WireField.Source or WireField.Type or WireField.Time
            or WireField.DataContentType or WireField.Data or WireField.DataBase64;

    /// <summary>Marks <paramref name="field"/> as read in this object; false when it was read before. Unknown names are not tracked (they are ignored).</summary>
    private static bool FirstTime(ref ulong seen, WireField field)
    {
        if (field == WireField.Unknown)
            return true;
        ulong bit = 1UL << (int)field;
        if ((seen & bit) != 0)
            return false;
        seen |= bit;
        return true;
    }

    private static UsageEventRejection DuplicateProperty(string name) =>
        new(RejectCodes.DuplicateProperty, $"property '{name}' appears more than once in the same object (ambiguous: which value counts?)");

    /// <summary>
    /// The string value, or null when its escapes or bytes do not decode (a lone surrogate such as <c>"\ud83d"</c>,
    /// as JavaScript writes a cut emoji, or invalid UTF-8): System.Text.Json throws for those only when asked for the string.
    /// </summary>
    private static string? TryGetString(ref Utf8JsonReader r)
    {
        try
        {
            return r.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private string? ReadString(ref Utf8JsonReader r, ref EventFields f, string field, int maxLength, bool intern)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.String)
        {
            WrongType(ref r, ref f, field, "a string");
            return null;
        }
        var span = r.ValueSpan;
        if (!r.ValueIsEscaped)
        {
            if (!Utf8.IsValid(span))
            {
                f.Fail(UsageEventValidator.Problem(field, RejectCodes.InvalidSuffix, $"{field} is not valid UTF-8"));
                return null;
            }
            // Measure before materialising: an oversize value is refused without allocating it.
            if (span.Length > maxLength)
            {
                int chars = Encoding.UTF8.GetCharCount(span);
                if (chars > maxLength)
                {
                    f.Fail(UsageEventValidator.TooLong(field, chars, maxLength));
                    return null;
                }
            }
            return intern ? _intern.GetString(span) : Encoding.UTF8.GetString(span);
        }
        var value = TryGetString(ref r);
        if (value is null)
            f.Fail(UsageEventValidator.Problem(field, RejectCodes.InvalidSuffix, $"{field} is not valid UTF-8 (or holds a lone UTF-16 surrogate escape)"));
        return value;
    }

    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader r, ref EventFields f)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.String)
        {
            WrongType(ref r, ref f, "timestamp", "an RFC 3339 string");
            return null;
        }
        Span<byte> buffer = stackalloc byte[64];
        scoped ReadOnlySpan<byte> text = r.ValueSpan;
        if (r.ValueIsEscaped)
            text = text.Length <= buffer.Length && TryCopyString(ref r, buffer, out int written) ? buffer[..written] : default;
        if (Rfc3339.TryParse(text, out var value))
            return value;
        f.Fail(UsageEventValidator.Problem("timestamp", RejectCodes.InvalidSuffix,
            $"timestamp must be an RFC 3339 date-time with Z or an offset (e.g. 2025-01-31T12:00:00Z), got '{Preview(r.ValueSpan)}'"));
        return null;
    }

    private static bool TryCopyString(ref Utf8JsonReader r, scoped Span<byte> buffer, out int written)
    {
        try
        {
            written = r.CopyString(buffer);
            return true;
        }
        catch (InvalidOperationException)
        {
            written = 0;
            return false;
        }
    }

    private static long? ReadCount(ref Utf8JsonReader r, ref EventFields f, string field, long max = UsageEventLimits.MaxTokenCount)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.Number)
        {
            WrongType(ref r, ref f, field, "a number");
            return null;
        }
        if (r.TryGetInt64(out long value))
        {
            var problem = UsageEventValidator.CheckCount(field, value, max);
            if (problem is null)
                return value;
            f.Fail(problem);
            return null;
        }
        // Not integer syntax (5.0, 1e3, 1.5) or beyond Int64: accept whole numbers, refuse the rest by name.
        string raw = Encoding.UTF8.GetString(r.ValueSpan);
        if (r.TryGetDouble(out double d) && double.IsFinite(d))
        {
            if (d != Math.Floor(d))
                f.Fail(UsageEventValidator.Problem(field, RejectCodes.NotIntegerSuffix, $"{field} must be a whole number, got {raw}"));
            else if (d < 0)
                f.Fail(UsageEventValidator.Problem(field, RejectCodes.NegativeSuffix, $"{field} must be >= 0, got {raw}"));
            else if (d > max)
                f.Fail(UsageEventValidator.Problem(field, RejectCodes.TooLargeSuffix, $"{field} must be <= {max}, got {raw}"));
            else
                return (long)d;
            return null;
        }
        f.Fail(UsageEventValidator.Problem(field, raw.StartsWith('-') ? RejectCodes.NegativeSuffix : RejectCodes.TooLargeSuffix,
            $"{field} must be between 0 and {max}, got {raw}"));
        return null;
    }

    /// <summary>A string from a closed set, as its canonical constant (no allocation); an unknown value is refused with the accepted ones.</summary>
    private static string? ReadName(ref Utf8JsonReader r, ref EventFields f, string field, LookupName lookup, string accepted)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.String)
        {
            WrongType(ref r, ref f, field, "a string");
            return null;
        }
        if (!r.ValueIsEscaped && lookup(r.ValueSpan) is { } name)
            return name;
        f.Fail(UsageEventValidator.Problem(field, RejectCodes.InvalidSuffix, $"{field} must be {accepted}, got '{Preview(r.ValueSpan)}'"));
        return null;
    }

    private delegate string? LookupName(ReadOnlySpan<byte> utf8);

    private static long? ReadLatency(ref Utf8JsonReader r, ref EventFields f)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.Number)
        {
            WrongType(ref r, ref f, "latency_ms", "a number");
            return null;
        }
        long value;
        if (!r.TryGetInt64(out value))
        {
            // Producers time calls with fractional milliseconds; the store keeps whole ones.
            if (!r.TryGetDouble(out double d) || !double.IsFinite(d) || Math.Abs(d) > UsageEventLimits.MaxLatencyMs + 1.0)
            {
                string raw = Encoding.UTF8.GetString(r.ValueSpan);
                f.Fail(UsageEventValidator.Problem("latency_ms", raw.StartsWith('-') ? RejectCodes.NegativeSuffix : RejectCodes.TooLargeSuffix,
                    $"latency_ms must be between 0 and {UsageEventLimits.MaxLatencyMs}, got {raw}"));
                return null;
            }
            value = d < 0 ? -1 : (long)Math.Round(d, MidpointRounding.AwayFromZero);
        }
        var problem = UsageEventValidator.CheckLatency(value);
        if (problem is null)
            return value;
        f.Fail(problem);
        return null;
    }

    /// <summary>A number read exactly as written (0.7 stays 0.7, 93.5 s stays 93.5), then checked by the rule the validator shares.</summary>
    private static decimal? ReadDecimal(ref Utf8JsonReader r, ref EventFields f, string field, decimal max, CheckDecimal check)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.Number)
        {
            WrongType(ref r, ref f, field, "a number");
            return null;
        }
        // Beyond decimal's range is out of range anyway.
        if (!r.TryGetDecimal(out var value))
        {
            string raw = Encoding.UTF8.GetString(r.ValueSpan);
            f.Fail(UsageEventValidator.Problem(field, raw.StartsWith('-') ? RejectCodes.NegativeSuffix : RejectCodes.TooLargeSuffix,
                $"{field} must be between 0 and {max.ToString(CultureInfo.InvariantCulture)}, got {raw}"));
            return null;
        }
        var problem = check(field, value);
        if (problem is null)
            return value;
        f.Fail(problem);
        return null;
    }

    private delegate UsageEventRejection? CheckDecimal(string field, decimal? value);

    private static bool? ReadBool(ref Utf8JsonReader r, ref EventFields f, string field)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Null: return null;
            default:
                WrongType(ref r, ref f, field, "true or false");
                return null;
        }
    }

    private TagMap? ReadTags(ref Utf8JsonReader r, ref EventFields f)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.StartObject)
        {
            WrongType(ref r, ref f, "tags", "an object of strings");
            return null;
        }
        var tags = new TagMap();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            string? key = ReadTagText(ref r);
            r.Read();
            if (f.Error is not null)
            {
                r.Skip();
                continue;
            }
            var problem = key is null
                ? new UsageEventRejection(RejectCodes.TagKeyInvalid, "a tag key is not valid UTF-8 (or holds a lone UTF-16 surrogate escape)")
                : UsageEventValidator.CheckTagKey(key);
            if (problem is not null)
            {
                f.Fail(problem);
                r.Skip();
                continue;
            }
            string? value;
            switch (r.TokenType)
            {
                // Numbers and booleans keep their JSON text: labels like {"shard": 3} are common and harmless.
                case JsonTokenType.String or JsonTokenType.Number:
                    var span = r.ValueSpan;
                    if (!r.ValueIsEscaped && span.Length > UsageEventLimits.MaxTagValueLength
                        && Encoding.UTF8.GetCharCount(span) is var chars && chars > UsageEventLimits.MaxTagValueLength)
                    {
                        f.Fail(UsageEventValidator.TagValueTooLong(key!, chars));
                        continue;
                    }
                    value = ReadTagText(ref r);
                    if (value is null)
                    {
                        f.Fail(new UsageEventRejection(RejectCodes.TagValueInvalid,
                            $"tag '{key}' has a value that is not valid UTF-8 (or holds a lone UTF-16 surrogate escape)"));
                        continue;
                    }
                    break;
                case JsonTokenType.True: value = "true"; break;
                case JsonTokenType.False: value = "false"; break;
                default:
                    f.Fail(new UsageEventRejection(RejectCodes.TagValueWrongType,
                        $"tag '{key}' must have a string, number or boolean value, got {Describe(r.TokenType)}"));
                    r.Skip();
                    continue;
            }
            if (!tags.TryAdd(key!, value, UsageEventLimits.MaxTags, out bool duplicate))
                f.Fail(duplicate
                    ? DuplicateProperty($"tags.{key}")
                    : new UsageEventRejection(RejectCodes.TagsTooMany, $"tags must hold at most {UsageEventLimits.MaxTags} entries"));
        }
        return tags;
    }

    /// <summary>A tag key or value as text (numbers as their JSON text), or null when it does not decode.</summary>
    private string? ReadTagText(ref Utf8JsonReader r)
    {
        if (r.ValueIsEscaped)
            return TryGetString(ref r);
        var span = r.ValueSpan;
        return Utf8.IsValid(span) ? GetString(span) : null;
    }

    private static UsageStyle ReadUsageStyle(ref Utf8JsonReader r, ref EventFields f)
    {
        if (r.TokenType == JsonTokenType.Null)
            return UsageStyle.Unspecified;
        if (r.TokenType == JsonTokenType.String && !r.ValueIsEscaped)
        {
            var v = r.ValueSpan;
            if (v.SequenceEqual("anthropic"u8))
                return UsageStyle.Anthropic;
            // OpenAI's counts already include cached tokens: the OTel convention.
            if (v.SequenceEqual("otel"u8) || v.SequenceEqual("openai"u8))
                return UsageStyle.Otel;
        }
        string shown = r.TokenType == JsonTokenType.String ? $"'{Preview(r.ValueSpan)}'" : Describe(r.TokenType);
        f.Fail(new UsageEventRejection(RejectCodes.UsageStyleInvalid, $"usage_style must be 'otel', 'openai' or 'anthropic', got {shown}"));
        r.Skip();
        return UsageStyle.Unspecified;
    }

    private static void ReadUsage(ref Utf8JsonReader r, ref EventFields f)
    {
        if (r.TokenType == JsonTokenType.Null)
            return;
        if (r.TokenType != JsonTokenType.StartObject)
        {
            WrongType(ref r, ref f, "usage", "an object");
            return;
        }
        f.HasUsage = true;
        ulong seen = 0;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldName(ref r);
            r.Read();
            if (f.Error is not null)
            {
                r.Skip();
                continue;
            }
            if (!FirstTime(ref seen, field))
            {
                f.Fail(DuplicateProperty($"usage.{WireFields.Name(field)}"));
                r.Skip();
                continue;
            }
            switch (field)
            {
                case WireField.InputTokens: f.UsageInputTokens = ReadCount(ref r, ref f, "input_tokens"); break;
                case WireField.OutputTokens: f.UsageOutputTokens = ReadCount(ref r, ref f, "output_tokens"); break;
                case WireField.PromptTokens: f.UsagePromptTokens = ReadCount(ref r, ref f, "prompt_tokens"); break;
                case WireField.CompletionTokens: f.UsageCompletionTokens = ReadCount(ref r, ref f, "completion_tokens"); break;
                case WireField.CacheReadInputTokens: f.UsageCacheReadInputTokens = ReadCount(ref r, ref f, "cache_read_input_tokens"); break;
                case WireField.CacheCreationInputTokens: f.UsageCacheCreationInputTokens = ReadCount(ref r, ref f, "cache_creation_input_tokens"); break;
                case WireField.PromptTokensDetails:
                    f.UsagePromptCachedTokens = ReadDetail(ref r, ref f, "prompt_tokens_details", WireField.CachedTokens, "cached_tokens");
                    break;
                case WireField.InputTokensDetails:
                    f.UsageInputCachedTokens = ReadDetail(ref r, ref f, "input_tokens_details", WireField.CachedTokens, "cached_tokens");
                    break;
                case WireField.CompletionTokensDetails:
                    f.UsageCompletionReasoningTokens = ReadDetail(ref r, ref f, "completion_tokens_details", WireField.ReasoningTokens, "reasoning_tokens");
                    break;
                case WireField.OutputTokensDetails:
                    f.UsageOutputReasoningTokens = ReadDetail(ref r, ref f, "output_tokens_details", WireField.ReasoningTokens, "reasoning_tokens");
                    break;
                default:
                    // total_tokens, audio tokens, Anthropic's cache_creation split, service_tier...: not part of v1.
                    r.Skip();
                    break;
            }
        }
    }

    private static long? ReadDetail(ref Utf8JsonReader r, ref EventFields f, string objectName, WireField wanted, string wantedName)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.StartObject)
        {
            WrongType(ref r, ref f, objectName, "an object");
            return null;
        }
        long? result = null;
        bool read = false;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            bool isWanted = FieldName(ref r) == wanted;
            r.Read();
            if (isWanted && read)
            {
                f.Fail(DuplicateProperty($"{objectName}.{wantedName}"));
                r.Skip();
            }
            else if (isWanted && f.Error is null)
            {
                result = ReadCount(ref r, ref f, wantedName);
                read = true;
            }
            else
                r.Skip();
        }
        return result;
    }

    private static string? EnvelopeString(ref Utf8JsonReader r)
    {
        string? value = r.TokenType == JsonTokenType.String ? TryGetString(ref r) : null;
        r.Skip();
        return value;
    }

    private string GetString(ReadOnlySpan<byte> utf8) => _intern.GetString(utf8);

    /// <summary>Records a wrong JSON type and steps over the value, so reading stays in step.</summary>
    private static void WrongType(ref Utf8JsonReader r, ref EventFields f, string field, string expected)
    {
        string got = r.TokenType == JsonTokenType.String ? $"string '{Preview(r.ValueSpan)}'" : Describe(r.TokenType);
        f.Fail(UsageEventValidator.Problem(field, RejectCodes.WrongTypeSuffix, $"{field} must be {expected}, got {got}"));
        r.Skip();
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    private static string Preview(ReadOnlySpan<byte> utf8)
    {
        var cut = RawText.Cut(utf8, 40, out bool truncated);
        string text = Encoding.UTF8.GetString(cut);
        return truncated ? text + "..." : text;
    }
}
