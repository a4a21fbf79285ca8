using System.Globalization;
using System.Text.Json.Nodes;
using CostOps.Core.Access;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;

namespace CostOps.Infrastructure.Spend;

/// <summary>
/// Exact spend totals over whole hours, grouped by any of tenant, project, user, feature, provider, model and an hour
/// or day bucket (queries/spend/spend_by.sql over the hourly rollup). One implementation behind <c>costops spend</c>,
/// <c>GET /api/spend</c> and the demo.
/// </summary>
/// <param name="rollups">Spend is read through it, as of every event this process acknowledged (live rollups are deferred).</param>
public sealed class SpendQuery(SpendRollups rollups, SqlCatalog catalog)
{
    public static readonly string[] Dimensions = ["tenant", "project", "user", "feature", "provider", "model"];
    public static readonly string[] Buckets = ["hour", "day"];

    /// <summary>Rows in cost order within each bucket; money as exact decimal strings.</summary>
    /// <param name="scope">The caller's tenants (all when null): rows of other tenants are never read.</param>
    public async Task<IReadOnlyList<SpendRow>> RunAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<string> groupBy, string? tenant, CancellationToken cancellationToken,
        TenantScope? scope = null)
    {
        scope ??= TenantScope.All;
        var unknown = groupBy.Except(Dimensions).Except(Buckets).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"group by takes {string.Join(",", Dimensions.Concat(Buckets))} (not {string.Join(",", unknown)}).");
        var parameters = new QueryParameters
        {
            { "from", FloorHour(from) }, { "to", CeilingHour(to) }, { "tenant", tenant ?? "" },
            { "by_hour", groupBy.Contains("hour") }, { "by_day", groupBy.Contains("day") },
            { "all_tenants", scope.IsAll }, { "tenants", scope.Tenants.ToArray() },
        };
        foreach (var d in Dimensions) parameters.Add($"by_{d}", groupBy.Contains(d));

        var json = await rollups.QueryAsync(catalog.Get(SqlNames.Spend.SpendBy), "JSONEachRow", parameters, cancellationToken);
        return json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var r = JsonNode.Parse(line)!.AsObject();
            return new SpendRow(
                r["period"]!.GetValue<string>(),
                Dimensions.ToDictionary(d => d, d => r[$"g_{d}"]!.GetValue<string>()),
                decimal.Parse(r["total_cost_usd"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                r["requests"]!.GetValue<long>(), r["errors"]!.GetValue<long>(),
                r["input_tokens"]!.GetValue<long>(), r["output_tokens"]!.GetValue<long>(),
                r["cached_input_tokens"]!.GetValue<long>(), r["cache_write_tokens"]!.GetValue<long>(),
                r["reasoning_tokens"]!.GetValue<long>(), r["unpriced_requests"]!.GetValue<long>())
            {
                EstimatedCostUsd = decimal.Parse(r["estimated_cost_usd"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            };
        }).ToList();
    }

    /// <summary>The rows as JSON objects: the asked dimensions, the bucket, <c>cost_usd</c> as an exact decimal string, counts.</summary>
    public static JsonArray ToJson(IReadOnlyList<SpendRow> rows, IReadOnlyCollection<string> groupBy)
    {
        var bucket = groupBy.Contains("hour") ? "hour" : groupBy.Contains("day") ? "day" : null;
        var output = new JsonArray();
        foreach (var row in rows)
        {
            var item = new JsonObject();
            if (bucket is not null) item[bucket] = row.Period;
            foreach (var d in Dimensions.Where(groupBy.Contains)) item[d] = row.Groups[d];
            item["cost_usd"] = row.CostUsd.ToString(CultureInfo.InvariantCulture);
            item["requests"] = row.Requests;
            item["errors"] = row.Errors;
            item["input_tokens"] = row.InputTokens;
            item["output_tokens"] = row.OutputTokens;
            item["cached_input_tokens"] = row.CachedInputTokens;
            item["cache_write_tokens"] = row.CacheWriteTokens;
            item["reasoning_tokens"] = row.ReasoningTokens;
            item["unpriced_requests"] = row.UnpricedRequests;
            item["estimated_cost_usd"] = row.EstimatedCostUsd.ToString(CultureInfo.InvariantCulture);
            output.Add(item);
        }
        return output;
    }

    public static DateTimeOffset FloorHour(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);

    public static DateTimeOffset CeilingHour(DateTimeOffset t) => t.UtcTicks % TimeSpan.TicksPerHour == 0 ? t.ToUniversalTime() : FloorHour(t).AddHours(1);
}

/// <summary>One group of spend: the bucket (<c>period</c>, empty when not bucketed), the dimension values (empty when not grouped) and totals.</summary>
public sealed record SpendRow(
    string Period, IReadOnlyDictionary<string, string> Groups, decimal CostUsd, long Requests, long Errors,
    long InputTokens, long OutputTokens, long CachedInputTokens, long CacheWriteTokens, long ReasoningTokens, long UnpricedRequests)
{
    /// <summary>The part of <see cref="CostUsd"/> estimated for models without a price (docs/pricing.md, unknown models).</summary>
    public decimal EstimatedCostUsd { get; init; }
}
