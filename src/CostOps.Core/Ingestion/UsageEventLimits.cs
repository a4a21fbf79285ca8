namespace CostOps.Core.Ingestion;

/// <summary>
/// The bounds usage event v1 enforces (documented in <c>docs/usage-event.md</c>). String lengths count UTF-16 code
/// units (what <see cref="string.Length"/> returns; equal to characters for everything but surrogate pairs).
/// </summary>
public static class UsageEventLimits
{
    /// <summary>Largest accepted token count of any kind. Larger values are producer bugs, not calls.</summary>
    public const long MaxTokenCount = 1_000_000_000;

    /// <summary>Most images one call may report (a generation request makes at most a handful; inputs a few hundred).</summary>
    public const long MaxImages = 100_000;

    /// <summary>Most seconds of audio or of video one call may report (a week: longer is a unit mistake, e.g. milliseconds).</summary>
    public const decimal MaxSeconds = 604_800m;

    /// <summary>Decimal places <c>audio_seconds</c> and <c>video_seconds</c> may carry (microseconds): stored exactly, so priced exactly.</summary>
    public const int SecondsScale = 6;

    /// <summary>Most characters one call may report (text-to-speech takes a few thousand per request).</summary>
    public const long MaxCharacters = 100_000_000;

    /// <summary>Most web searches (priced tool calls) one call may report.</summary>
    public const long MaxWebSearches = 100_000;

    /// <summary>Largest accepted latency: the ClickHouse column is UInt32 milliseconds (about 49.7 days).</summary>
    public const long MaxLatencyMs = uint.MaxValue;

    /// <summary>How far ahead of the clock a timestamp may be (producer clock skew, not time travel).</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    /// <summary>
    /// Default depth of the accept window: how far back of "now" a timestamp may lie (configurable per host,
    /// <c>Ingestion:MaxEventAgeDays</c>). Bounds what a producer with a broken clock can scatter across months of
    /// partitions and rollups, and the span the event-id check must cover.
    /// </summary>
    public static readonly TimeSpan DefaultMaxEventAge = TimeSpan.FromDays(400);

    /// <summary>
    /// Earliest accepted timestamp whatever the window. Catches unset timestamps (0001-01-01, the Unix epoch) and stays well inside
    /// ClickHouse's DateTime64 range.
    /// </summary>
    public static readonly DateTimeOffset MinTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Maximum length of <c>event_id</c>.</summary>
    public const int MaxEventIdLength = 256;

    /// <summary>Maximum length of <c>tenant</c>, <c>project</c>, <c>model</c>, <c>deployment</c>, <c>feature</c>.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Maximum length of <c>user</c>.</summary>
    public const int MaxUserLength = 256;

    /// <summary>Maximum length of <c>provider</c>, <c>status</c>.</summary>
    public const int MaxShortNameLength = 64;

    /// <summary>Maximum length of <c>error_type</c>.</summary>
    public const int MaxErrorTypeLength = 256;

    /// <summary>Maximum length of <c>prompt_hash</c> (a hex SHA-512 is 128).</summary>
    public const int MaxPromptHashLength = 256;

    /// <summary>Maximum length of <c>request_hash</c> (a hex SHA-512 is 128).</summary>
    public const int MaxRequestHashLength = 256;

    /// <summary>Largest sampling <c>temperature</c> accepted (OpenAI's range is 0 to 2, Anthropic's 0 to 1).</summary>
    public const decimal MaxTemperature = 2m;

    /// <summary>Maximum number of entries in <c>tags</c>.</summary>
    public const int MaxTags = 64;

    /// <summary>Maximum length of a tag key.</summary>
    public const int MaxTagKeyLength = 128;

    /// <summary>Maximum length of a tag value.</summary>
    public const int MaxTagValueLength = 512;

    /// <summary>Maximum length of <c>prompt_text</c> and <c>completion_text</c> (1 Mi code units).</summary>
    public const int MaxTextLength = 1 << 20;

    /// <summary>Bound on the raw text a rejection keeps (UTF-8 bytes, cut at a character boundary).</summary>
    public const int MaxRawBytes = 4096;
}
