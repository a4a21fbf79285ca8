using CostOps.Core.Ingestion;
using CostOps.Core.Pricing;
using CostOps.Infrastructure.ClickHouse.Formats;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>
/// Encodes priced events as one <c>Native</c> block for <c>usage_events</c> (<see cref="NativeBlockWriter"/>). The block
/// names every column, so ClickHouse maps by name and later migrations may add columns with defaults. A test compares
/// <see cref="Columns"/> with the table's own column types; the block declares them as <see cref="WireColumns"/>.
/// </summary>
public static class UsageEventRows
{
    public const string Table = "usage_events";
    public const string Format = "Native";
    private const int MoneyScale = 18;
    private const int TemperatureScale = 3;

    /// <summary>
    /// Most months (partitions: <c>PARTITION BY toYYYYMM(timestamp)</c>) one insert may touch: ClickHouse's
    /// <c>max_partitions_per_insert_block</c> default, above which it refuses the insert.
    /// </summary>
    public const int MaxPartitionsPerInsert = 100;

    /// <summary>
    /// <paramref name="rows"/> in groups spanning at most <see cref="MaxPartitionsPerInsert"/> months each: one group,
    /// in input order, when they fit (the common case), else grouped by month.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<T>> ByPartitionChunks<T>(IReadOnlyList<T> rows, Func<T, DateTimeOffset> timestampOf)
    {
        var months = new HashSet<int>();
        foreach (var row in rows)
        {
            months.Add(MonthOf(timestampOf(row)));
            if (months.Count > MaxPartitionsPerInsert) break;
        }
        if (months.Count <= MaxPartitionsPerInsert) return [rows];
        return rows.GroupBy(r => MonthOf(timestampOf(r))).OrderBy(g => g.Key)
            .Chunk(MaxPartitionsPerInsert)
            .Select(groups => (IReadOnlyList<T>)groups.SelectMany(g => g).ToList())
            .ToList();
    }

    internal static int MonthOf(DateTimeOffset timestamp) => timestamp.UtcDateTime.Year * 100 + timestamp.UtcDateTime.Month;

    public static IReadOnlyList<(string Name, string Type)> Columns { get; } =
    [
        ("event_id", "String"),
        ("timestamp", "DateTime64(3, 'UTC')"),
        ("tenant", "LowCardinality(String)"),
        ("project", "LowCardinality(String)"),
        ("user", "String"),
        ("feature", "LowCardinality(String)"),
        ("provider", "LowCardinality(String)"),
        ("model", "LowCardinality(String)"),
        ("canonical_model", "LowCardinality(String)"),
        ("deployment", "LowCardinality(String)"),
        ("input_tokens", "UInt64"),
        ("output_tokens", "UInt64"),
        ("cached_input_tokens", "UInt64"),
        ("cache_write_tokens", "UInt64"),
        ("reasoning_tokens", "UInt64"),
        ("batch", "Bool"),
        ("interactive", "Nullable(Bool)"),
        ("latency_ms", "Nullable(UInt32)"),
        ("status", "LowCardinality(String)"),
        ("error_type", "LowCardinality(String)"),
        ("prompt_hash", "String"),
        ("tags", "Map(LowCardinality(String), String)"),
        ("cost_usd", "Decimal(38, 18)"),
        ("input_cost_usd", "Decimal(38, 18)"),
        ("cache_read_cost_usd", "Decimal(38, 18)"),
        ("cache_write_cost_usd", "Decimal(38, 18)"),
        ("output_cost_usd", "Decimal(38, 18)"),
        ("request_fee_usd", "Decimal(38, 18)"),
        ("price_status", "LowCardinality(String)"),
        ("price_version", "LowCardinality(String)"),
        ("source", "LowCardinality(String)"),
        ("ingested_at", "DateTime64(3, 'UTC')"),
        ("request_hash", "String"),
        ("temperature", "Nullable(Decimal(9, 3))"),
        ("images", "UInt64"),
        ("audio_seconds", "Decimal(18, 6)"),
        ("video_seconds", "Decimal(18, 6)"),
        ("characters", "UInt64"),
        ("web_searches", "UInt64"),
        ("service_tier", "LowCardinality(String)"),
        ("deployment_type", "LowCardinality(String)"),
        ("units_cost_usd", "Decimal(38, 18)"),
    ];

    /// <summary>
    /// The types the block declares: LowCardinality columns as their plain type, which ClickHouse converts column-wise
    /// on insert (cheaper than encoding LowCardinality's dictionary here).
    /// </summary>
    public static IReadOnlyList<(string Name, string Type)> WireColumns { get; } =
        Columns.Select(c => (c.Name, c.Type.Replace("LowCardinality(String)", "String", StringComparison.Ordinal))).ToList();

    public static NativeBlockWriter NewBlock(int expectedRows) => new(WireColumns, expectedRows);

    /// <summary>Appends one row; the order is <see cref="Columns"/>.</summary>
    public static void Write(NativeBlockWriter w, in PricedUsageEvent row, string source, DateTimeOffset ingestedAt)
    {
        var e = row.Event;
        var c = row.Cost.Components;
        w.String(e.EventId);
        w.DateTime64Millis(e.Timestamp);
        w.String(e.Tenant);
        w.String(e.Project);
        w.String(e.User);
        w.String(e.Feature);
        w.String(row.Cost.Provider == ProviderId.Unknown ? e.Provider : row.Cost.Provider.OtelName());
        w.String(e.Model);
        w.String(row.Cost.CanonicalModel);
        w.String(e.Deployment);
        w.UInt64((ulong)row.InputTokens);
        w.UInt64((ulong)row.OutputTokens);
        w.UInt64((ulong)(e.CachedInputTokens ?? 0));
        w.UInt64((ulong)(e.CacheWriteTokens ?? 0));
        w.UInt64((ulong)(e.ReasoningTokens ?? 0));
        w.Bool(e.IsBatch());
        w.NullableBool(e.Interactive);
        w.NullableUInt32(e.LatencyMs is { } ms ? (uint)Math.Min(ms, uint.MaxValue) : null);
        w.String(e.Status ?? "ok");
        w.String(e.ErrorType);
        w.String(e.PromptHash);
        w.StringMap(e.Tags);
        w.Decimal128(c.Total, MoneyScale);
        w.Decimal128(c.Input, MoneyScale);
        w.Decimal128(c.CacheRead, MoneyScale);
        w.Decimal128(c.CacheWrite, MoneyScale);
        w.Decimal128(c.Output, MoneyScale);
        w.Decimal128(c.RequestFee, MoneyScale);
        w.String(row.Cost.Status.ToWireName());
        w.String(row.Cost.PriceVersion);
        w.String(source);
        w.DateTime64Millis(ingestedAt);
        w.String(e.RequestHash);
        w.NullableDecimal32(e.Temperature, TemperatureScale);
        w.UInt64((ulong)(e.Images ?? 0));
        w.Decimal64(e.AudioSeconds ?? 0m, UsageEventLimits.SecondsScale);
        w.Decimal64(e.VideoSeconds ?? 0m, UsageEventLimits.SecondsScale);
        w.UInt64((ulong)(e.Characters ?? 0));
        w.UInt64((ulong)(e.WebSearches ?? 0));
        w.String(e.ServiceTier);
        w.String(e.DeploymentType);
        w.Decimal128(c.Units, MoneyScale);
    }
}
