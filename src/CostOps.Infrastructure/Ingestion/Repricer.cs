using System.Globalization;
using System.Text.Json;
using CostOps.Core.Ingestion;
using CostOps.Core.Pricing;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Formats;
using CostOps.Infrastructure.Sql;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>
/// Recomputes stored costs for a time range with the prices in force now (after a price fix), without counting
/// anything twice: each changed event is written again with a newer version, which the ReplacingMergeTree keeps
/// instead of the old row, and the touched rollup slices are rebuilt from the deduplicated rows. Works a day at a
/// time so memory stays bounded. Crash-safe: a day's rollups are rebuilt right after its events are rewritten, and every
/// run ends with the repair pass over its whole range, so a rerun after a crash (which finds nothing left to re-price)
/// still rebuilds whatever the crash left stale or deleted.
/// </summary>
public sealed class Repricer(IClickHouse clickHouse, SqlCatalog catalog, IPriceCatalogSource prices, SpendRollups rollups, RollupRepair repair, TimeProvider time)
{
    public async Task<RepriceSummary> RepriceAsync(DateTimeOffset from, DateTimeOffset to, string? tenant, CancellationToken cancellationToken = default)
    {
        if (to <= from) throw new ArgumentException("--to must be after --from.");
        var summary = new RepriceSummary();
        var priceCatalog = prices.Current;
        for (var start = from; start < to; start = start.AddDays(1))
        {
            var end = start.AddDays(1) < to ? start.AddDays(1) : to;
            var rows = await clickHouse.QueryAsync(catalog.Get(SqlNames.Reprice.EventsInRange), "JSONEachRow", new QueryParameters
            {
                { "from", start }, { "to", end }, { "tenant", tenant ?? "" },
            }, cancellationToken);

            var writer = UsageEventRows.NewBlock(1024);
            var slices = new SpendSlices();
            var changed = 0;
            var now = time.GetUtcNow();
            foreach (var line in rows.AsSpan().EnumerateLines())
            {
                if (line.IsWhiteSpace()) continue;
                using var doc = JsonDocument.Parse(line.ToString());
                var r = doc.RootElement;
                summary.Events++;
                var e = ToEvent(r);
                var usage = e.ToUsage(e.InputTokens!.Value, e.OutputTokens!.Value, r.GetProperty("price_status").GetString() == PriceStatusNames.EstimatedTokens);
                var cost = priceCatalog.Price(e.Tenant, e.Provider, e.Model, e.Timestamp, usage);
                var before = decimal.Parse(r.GetProperty("cost_usd").GetString()!, CultureInfo.InvariantCulture);
                if (cost.Total == before && cost.PriceVersion == r.GetProperty("price_version").GetString()) continue;

                summary.Changed++;
                summary.CostBefore += before;
                summary.CostAfter += cost.Total;
                UsageEventRows.Write(writer, new PricedUsageEvent(e, cost, usage.Input, usage.Output), r.GetProperty("source").GetString() ?? "", now);
                slices.Add(e.Tenant, e.Timestamp);
                changed++;
            }
            if (changed > 0)
            {
                await clickHouse.InsertAsync(UsageEventRows.Table, UsageEventRows.Format, writer.ToBlock(), cancellationToken: cancellationToken);
                await rollups.RebuildAsync(slices, cancellationToken);
            }
        }
        summary.Repaired = await repair.RepairAsync(from, to, tenant, cancellationToken);
        return summary;
    }

    private static UsageEvent ToEvent(JsonElement r) => new()
    {
        EventId = r.GetProperty("event_id").GetString()!,
        Timestamp = DateTimeOffset.Parse(r.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        Tenant = r.GetProperty("tenant").GetString()!,
        Model = r.GetProperty("model").GetString()!,
        InputTokens = r.GetProperty("input_tokens").GetInt64(),
        OutputTokens = r.GetProperty("output_tokens").GetInt64(),
        CachedInputTokens = r.GetProperty("cached_input_tokens").GetInt64(),
        CacheWriteTokens = r.GetProperty("cache_write_tokens").GetInt64(),
        ReasoningTokens = r.GetProperty("reasoning_tokens").GetInt64(),
        Project = r.GetProperty("project").GetString(),
        User = r.GetProperty("user").GetString(),
        Feature = r.GetProperty("feature").GetString(),
        Provider = r.GetProperty("provider").GetString(),
        Deployment = r.GetProperty("deployment").GetString(),
        Batch = r.GetProperty("batch").GetBoolean(),
        Interactive = r.GetProperty("interactive").ValueKind == JsonValueKind.Null ? null : r.GetProperty("interactive").GetBoolean(),
        LatencyMs = r.GetProperty("latency_ms").ValueKind == JsonValueKind.Null ? null : r.GetProperty("latency_ms").GetInt64(),
        Status = r.GetProperty("status").GetString(),
        ErrorType = r.GetProperty("error_type").GetString(),
        PromptHash = r.GetProperty("prompt_hash").GetString(),
        RequestHash = r.GetProperty("request_hash").GetString(),
        // Decimals come quoted (output_format_json_quote_decimals), so they parse exactly.
        Temperature = r.GetProperty("temperature").ValueKind == JsonValueKind.Null
            ? null
            : decimal.Parse(r.GetProperty("temperature").GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
        Images = r.GetProperty("images").GetInt64(),
        AudioSeconds = decimal.Parse(r.GetProperty("audio_seconds").GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
        VideoSeconds = decimal.Parse(r.GetProperty("video_seconds").GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
        Characters = r.GetProperty("characters").GetInt64(),
        WebSearches = r.GetProperty("web_searches").GetInt64(),
        ServiceTier = NullIfEmpty(r.GetProperty("service_tier").GetString()),
        DeploymentType = NullIfEmpty(r.GetProperty("deployment_type").GetString()),
        Tags = r.GetProperty("tags").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
    };

    // The table stores "not reported" as '' (a column default old rows share).
    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>What a re-price did: events read, events whose cost changed, and the totals before and after.</summary>
public sealed class RepriceSummary
{
    public long Events { get; set; }

    public long Changed { get; set; }

    public decimal CostBefore { get; set; }

    public decimal CostAfter { get; set; }

    /// <summary>Rollup slices the closing repair pass found wrong and rebuilt (left by an earlier, interrupted run).</summary>
    public int Repaired { get; set; }
}
