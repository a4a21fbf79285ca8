using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace CostOps.Core.Ingestion;

/// <summary>
/// Turns a raw ingestion payload into one <see cref="UsageEventResult"/> per event: parsed, normalised to the
/// OpenTelemetry token convention and validated, or rejected with a reason code and the event's raw text.
/// Accepts a single JSON object, a JSON array of objects, NDJSON, and CloudEvents 1.0 structured envelopes (alone,
/// in an array = batch mode, or one per NDJSON line). One bad event never costs its neighbours, except where JSON
/// itself makes the rest unreadable (a malformed array or multi-line document is rejected as a whole).
/// Thread-safe; create one and share it.
/// </summary>
public sealed class UsageEventParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { AllowMultipleValues = true, MaxDepth = 64 };
    private static readonly JsonReaderOptions LineOptions = new() { MaxDepth = 64 };

    private readonly UsageEventValidator _validator;
    private readonly EventObjectReader _reader = new(new Utf8InternCache());

    /// <summary>Creates a parser whose validation reads "now" from <paramref name="timeProvider"/>.</summary>
    public UsageEventParser(TimeProvider timeProvider)
        : this(new UsageEventValidator(timeProvider))
    {
    }

    /// <summary>Creates a parser that validates with <paramref name="validator"/>.</summary>
    public UsageEventParser(UsageEventValidator validator)
    {
        ArgumentNullException.ThrowIfNull(validator);
        _validator = validator;
    }

    /// <summary>Parses <paramref name="utf8Payload"/> and returns the per-event results in payload order.</summary>
    public IReadOnlyList<UsageEventResult> Parse(ReadOnlySpan<byte> utf8Payload)
    {
        var results = new List<UsageEventResult>();
        Parse(utf8Payload, results);
        return results;
    }

    /// <summary>Convenience for text payloads (tests, CLI); encodes to UTF-8 first.</summary>
    public IReadOnlyList<UsageEventResult> Parse(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return Parse(Encoding.UTF8.GetBytes(payload));
    }

    /// <summary>
    /// Parses <paramref name="utf8Payload"/>, appending one result per event to <paramref name="results"/> (reuse
    /// the list across payloads to avoid allocating). A payload rejected as a whole appends exactly one rejection.
    /// </summary>
    /// <param name="maxEvents">
    /// Most events the payload may hold; past it, reading stops and the payload is refused as a whole
    /// (<see cref="RejectCodes.PayloadTooManyEvents"/>), so a hostile body costs at most that many results.
    /// </param>
    /// <param name="now">
    /// The instant the accept window is checked against; the validator's clock when null (a request logged earlier and
    /// prepared again as of its receipt passes that instant).
    /// </param>
    /// <returns>How the payload was framed.</returns>
    public PayloadFormat Parse(ReadOnlySpan<byte> utf8Payload, List<UsageEventResult> results, int maxEvents = int.MaxValue, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var at = now ?? _validator.UtcNow;
        var payload = SkipBom(utf8Payload);
        int start = SkipWhitespace(payload, 0);
        if (start == payload.Length)
        {
            results.Add(RejectPayload(RejectCodes.PayloadEmpty, "the payload is empty", utf8Payload));
            return PayloadFormat.Invalid;
        }
        switch (payload[start])
        {
            case (byte)'[':
                return ParseArray(payload, results, at, maxEvents);
            case (byte)'{':
                return ParseObjectOrLines(payload, start, results, at, maxEvents);
            default:
                string shown = payload[start] is >= 0x20 and < 0x7F ? $"'{(char)payload[start]}'" : $"byte 0x{payload[start]:X2}";
                results.Add(RejectPayload(RejectCodes.PayloadNotJson,
                    $"the payload is not JSON usage: it must start with '{{' or '[', but starts with {shown} at byte {start}", utf8Payload));
                return PayloadFormat.Invalid;
        }
    }

    private PayloadFormat ParseArray(ReadOnlySpan<byte> payload, List<UsageEventResult> results, DateTimeOffset now, int maxEvents)
    {
        int firstResult = results.Count;
        var r = new Utf8JsonReader(payload, LineOptions);
        try
        {
            r.Read();
            int index = 0;
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                if (index == maxEvents)
                    return RejectTooMany(payload, results, firstResult, maxEvents);
                results.Add(ReadElement(ref r, payload, index++, now));
            }
            // Reading past the end makes the reader verify nothing but whitespace follows the array.
            while (r.Read())
            {
            }
            return PayloadFormat.Array;
        }
        catch (JsonException ex)
        {
            // Inside an array a syntax error leaves no safe place to resume; nothing of it is taken.
            results.RemoveRange(firstResult, results.Count - firstResult);
            results.Add(RejectPayload(RejectCodes.PayloadMalformedJson, $"the JSON array is malformed: {Describe(ex)}", payload));
            return PayloadFormat.Invalid;
        }
    }

    private PayloadFormat ParseObjectOrLines(ReadOnlySpan<byte> payload, int start, List<UsageEventResult> results, DateTimeOffset now, int maxEvents)
    {
        // Try the first value as a whole document first: that covers a pretty-printed single object, and is
        // exactly line one of NDJSON, so no byte is read twice either way.
        var first = payload[start..];
        var r = new Utf8JsonReader(first, ReaderOptions);
        UsageEventResult firstResult;
        int end;
        try
        {
            r.Read();
            firstResult = ReadEvent(ref r, first, 0, now);
            end = start + (int)r.BytesConsumed;
        }
        catch (JsonException ex)
        {
            if (!LooksLikeNdjson(payload, start))
            {
                results.Add(RejectPayload(RejectCodes.PayloadMalformedJson, $"the JSON document is malformed: {Describe(ex)}", payload));
                return PayloadFormat.Invalid;
            }
            return ParseLines(payload, start, 0, results, now, maxEvents);
        }

        int next = SkipWhitespace(payload, end);
        if (next == payload.Length)
        {
            results.Add(firstResult);
            return PayloadFormat.Single;
        }
        if (payload[end..next].IndexOf((byte)'\n') < 0)
        {
            results.Add(RejectPayload(RejectCodes.PayloadMalformedJson,
                $"unexpected content after the JSON object at byte {end} (NDJSON needs one object per line)", payload));
            return PayloadFormat.Invalid;
        }
        results.Add(firstResult);
        return ParseLines(payload, next, 1, results, now, maxEvents);
    }

    private PayloadFormat ParseLines(ReadOnlySpan<byte> payload, int position, int index, List<UsageEventResult> results, DateTimeOffset now, int maxEvents)
    {
        int firstResult = results.Count - index;
        while (position < payload.Length)
        {
            int newline = payload[position..].IndexOf((byte)'\n');
            int lineEnd = newline < 0 ? payload.Length : position + newline;
            var line = payload[position..lineEnd].Trim(" \t\r"u8);
            position = lineEnd + 1;
            if (line.IsEmpty)
                continue;
            if (index == maxEvents)
                return RejectTooMany(payload, results, firstResult, maxEvents);
            results.Add(ParseLine(line, index++, now));
        }
        return PayloadFormat.Ndjson;
    }

    /// <summary>Drops what was read of an over-long payload and refuses it whole: its producer must split it.</summary>
    private static PayloadFormat RejectTooMany(ReadOnlySpan<byte> payload, List<UsageEventResult> results, int firstResult, int maxEvents)
    {
        results.RemoveRange(firstResult, results.Count - firstResult);
        results.Add(RejectPayload(RejectCodes.PayloadTooManyEvents,
            $"the payload holds more than {maxEvents} events; send at most {maxEvents} per request", payload));
        return PayloadFormat.Invalid;
    }

    private UsageEventResult ParseLine(ReadOnlySpan<byte> line, int index, DateTimeOffset now)
    {
        var r = new Utf8JsonReader(line, LineOptions);
        try
        {
            r.Read();
            var result = ReadElement(ref r, line, index, now);
            // A second value on the line, or garbage after the object, makes the reader throw here.
            while (r.Read())
            {
            }
            return result;
        }
        catch (JsonException ex)
        {
            return Reject(index, new UsageEventRejection(RejectCodes.EventMalformedJson, $"line {index + 1} is not valid JSON: {Describe(ex)}"), line);
        }
    }

    /// <summary>An array element or NDJSON line: an event object, or anything else, which is refused.</summary>
    private UsageEventResult ReadElement(ref Utf8JsonReader r, ReadOnlySpan<byte> source, int index, DateTimeOffset now)
    {
        if (r.TokenType == JsonTokenType.StartObject)
            return ReadEvent(ref r, source, index, now);
        int elementStart = (int)r.TokenStartIndex;
        var type = r.TokenType;
        r.Skip();
        var raw = source[elementStart..(int)r.BytesConsumed];
        return Reject(index, new UsageEventRejection(RejectCodes.EventNotObject, $"event {index} must be a JSON object, got {type}"), raw);
    }

    private UsageEventResult ReadEvent(ref Utf8JsonReader r, ReadOnlySpan<byte> source, int index, DateTimeOffset now)
    {
        int objectStart = (int)r.TokenStartIndex;
        var top = new EventFields();
        var data = new EventFields();
        _reader.ReadObject(ref r, ref top, ref data);
        var raw = source[objectStart..(int)r.BytesConsumed];

        ref EventFields f = ref top;
        if (top.HasSpecVersion)
        {
            var problem = top.EnvelopeError ?? CheckEnvelope(ref top);
            if (problem is null && top.Data == DataKind.Object)
            {
                f = ref data;
            }
            else if (problem is null && top.DataBase64 is not null && top.Data == DataKind.Absent)
            {
                problem = ReadBase64Data(top.DataBase64, ref data);
                f = ref data;
            }
            else
            {
                problem ??= new UsageEventRejection(RejectCodes.CloudEventDataInvalid,
                    top.Data is DataKind.Absent or DataKind.Null
                        ? "the CloudEvent carries no data (a usage event object in 'data' or 'data_base64')"
                        : "the CloudEvent's data must be a JSON object (a usage event)");
            }
            if (problem is not null)
                return Reject(index, problem with { EventId = Label(top.CeId) }, raw);
            // The envelope's id and time are the event's when the data leaves them out.
            f.EventId ??= top.CeId;
            f.Timestamp ??= top.CeTime;
        }

        if (f.Error is not null)
            return Reject(index, Labelled(f.Error, ref f), raw);
        var normalisation = UsageNormalizer.Normalize(ref f);
        if (normalisation is not null)
            return Reject(index, Labelled(normalisation, ref f), raw);
        if (f.EventId is not null && f.Timestamp is null)
            return Reject(index, Labelled(UsageEventValidator.Problem("timestamp", RejectCodes.MissingSuffix, "timestamp is required"), ref f), raw);

        var usageEvent = new UsageEvent
        {
            EventId = f.EventId!,
            Timestamp = f.Timestamp.GetValueOrDefault(),
            Tenant = f.Tenant!,
            Model = f.Model!,
            InputTokens = f.InputTokens,
            OutputTokens = f.OutputTokens,
            Provider = f.Provider,
            Project = f.Project,
            User = f.User,
            Feature = f.Feature ?? f.Route,
            Deployment = f.Deployment,
            CachedInputTokens = f.CachedInputTokens,
            CacheWriteTokens = f.CacheWriteTokens,
            ReasoningTokens = f.ReasoningTokens,
            Images = f.Images,
            AudioSeconds = f.AudioSeconds,
            VideoSeconds = f.VideoSeconds,
            Characters = f.Characters,
            WebSearches = f.WebSearches,
            ServiceTier = f.ServiceTier,
            DeploymentType = f.DeploymentType,
            Batch = f.Batch,
            LatencyMs = f.LatencyMs,
            Status = f.Status,
            ErrorType = f.ErrorType,
            PromptHash = f.PromptHash,
            RequestHash = f.RequestHash,
            Temperature = f.Temperature,
            Tags = f.Tags,
            Interactive = f.Interactive,
            PromptText = f.PromptText,
            CompletionText = f.CompletionText,
        };
        // The validator's order checks event_id before timestamp; a missing event_id is reported by it.
        var invalid = UsageEventValidator.Validate(usageEvent, now, _validator.MaxEventAge);
        return invalid is null ? UsageEventResult.Accepted(index, usageEvent) : Reject(index, invalid, raw);
    }

    private static UsageEventRejection? CheckEnvelope(ref EventFields top)
    {
        if (top.SpecVersion != "1.0")
            return new UsageEventRejection(RejectCodes.CloudEventInvalid,
                $"only CloudEvents specversion '1.0' is supported, got {(top.SpecVersion is null ? "a non-string" : $"'{top.SpecVersion}'")}");
        if (string.IsNullOrEmpty(top.CeId))
            return new UsageEventRejection(RejectCodes.CloudEventInvalid, "the CloudEvent has no 'id' (a non-empty string is required)");
        if (string.IsNullOrEmpty(top.CeSource))
            return new UsageEventRejection(RejectCodes.CloudEventInvalid, "the CloudEvent has no 'source' (a non-empty string is required)");
        if (string.IsNullOrEmpty(top.CeType))
            return new UsageEventRejection(RejectCodes.CloudEventInvalid, "the CloudEvent has no 'type' (a non-empty string is required)");
        if (top.CeTimeText is not null && top.CeTime is null)
            return new UsageEventRejection(RejectCodes.CloudEventInvalid, $"the CloudEvent 'time' must be RFC 3339, got '{top.CeTimeText}'");
        if (top.CeDataContentType is { } contentType && !IsJsonContentType(contentType))
            return new UsageEventRejection(RejectCodes.CloudEventDataInvalid,
                $"the CloudEvent datacontenttype must be JSON (application/json or */*+json), got '{contentType}'");
        return null;
    }

    private UsageEventRejection? ReadBase64Data(string base64, ref EventFields data)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return new UsageEventRejection(RejectCodes.CloudEventDataInvalid, "the CloudEvent data_base64 is not valid base64");
        }
        var r = new Utf8JsonReader(bytes, LineOptions);
        try
        {
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
                return new UsageEventRejection(RejectCodes.CloudEventDataInvalid, "the CloudEvent data_base64 must hold a JSON object (a usage event)");
            _reader.ReadObject(ref r, ref data, ref Unsafe.NullRef<EventFields>());
            while (r.Read())
            {
            }
            return null;
        }
        catch (JsonException ex)
        {
            return new UsageEventRejection(RejectCodes.CloudEventDataInvalid, $"the CloudEvent data_base64 is not valid JSON: {Describe(ex)}");
        }
    }

    private static bool IsJsonContentType(string contentType)
    {
        var mediaType = contentType.AsSpan();
        int semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
            mediaType = mediaType[..semicolon];
        mediaType = mediaType.Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// After the first value failed: NDJSON when the next non-blank line starts a new object. A pretty-printed
    /// document continues with a member name or a closing brace instead, and is refused as a whole.
    /// </summary>
    private static bool LooksLikeNdjson(ReadOnlySpan<byte> payload, int start)
    {
        int newline = payload[start..].IndexOf((byte)'\n');
        if (newline < 0)
            return false;
        int next = SkipWhitespace(payload, start + newline + 1);
        return next < payload.Length && payload[next] == (byte)'{';
    }

    private static UsageEventResult Reject(int index, UsageEventRejection rejection, ReadOnlySpan<byte> raw)
    {
        string text = RawText.ForReject(raw, out bool truncated);
        return UsageEventResult.Rejected(index, rejection with { Raw = text, RawTruncated = truncated });
    }

    private static UsageEventResult RejectPayload(string code, string message, ReadOnlySpan<byte> payload) =>
        Reject(0, new UsageEventRejection(code, message), payload);

    private static UsageEventRejection Labelled(UsageEventRejection problem, ref EventFields f) =>
        problem with { EventId = Label(f.EventId), Tenant = Label(f.Tenant) };

    // A label for the reject row: never an oversize or unprintable one (that may be what was wrong).
    private static string Label(string? value) =>
        value is null || value.Length > UsageEventLimits.MaxEventIdLength || UsageEventValidator.HasControlChars(value) ? "" : value;

    private static string Describe(JsonException ex) =>
        ex.LineNumber is { } line ? $"{FirstSentence(ex.Message)} (line {line + 1}, byte {ex.BytePositionInLine + 1})" : FirstSentence(ex.Message);

    private static string FirstSentence(string message)
    {
        // The reader's messages end with a "LineNumber: ... | BytePositionInLine: ..." suffix; positions are given separately.
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }

    private static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> payload) =>
        payload.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? payload[3..] : payload;

    private static int SkipWhitespace(ReadOnlySpan<byte> payload, int position)
    {
        while (position < payload.Length && payload[position] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            position++;
        return position;
    }
}
