using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CostOps.Core.Recommendations;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>
/// Runs in ClickHouse: <c>routing_recommendations</c> (one versioned set per run) and <c>recommendation_runs</c> (one row
/// per finished run). The run row is written last, so a reader never sees a half-written set as the latest.
/// </summary>
public sealed class RecommendationRepository(IClickHouse clickHouse, SqlCatalog catalog)
{
    private const string Table = "routing_recommendations";

    public async Task WriteAsync(RecommendationRun run, bool scheduled, CancellationToken cancellationToken = default)
    {
        if (run.Recommendations.Count > 0)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            foreach (var r in run.Recommendations)
            {
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    w.WriteString("run_id", run.RunId);
                    w.WriteString("run_at", run.RunAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture));
                    w.WriteNumber("window_days", run.WindowDays);
                    w.WriteString("recommendation_id", r.Id);
                    w.WriteString("kind", r.Kind.ToWireName());
                    w.WriteString("tenant", r.Tenant);
                    w.WriteString("project", r.Project);
                    w.WriteString("feature", r.Feature);
                    w.WriteString("provider", r.Provider);
                    w.WriteString("current_model", r.CurrentModel);
                    w.WriteString("suggested_provider", r.SuggestedProvider);
                    w.WriteString("suggested_model", r.SuggestedModel);
                    w.WriteString("budget_id", r.BudgetId);
                    w.WriteNumber("requests", r.Requests);
                    // Decimals are written as JSON numbers from their exact text: ClickHouse parses them into Decimal exactly.
                    w.WriteNumber("observed_cost_usd", r.ObservedCostUsd);
                    w.WriteNumber("projected_cost_usd", r.ProjectedCostUsd);
                    w.WriteNumber("estimated_savings_usd", r.EstimatedSavings30dUsd);
                    w.WriteNumber("traffic_share", r.TrafficShare);
                    w.WriteNumber("confidence", r.Confidence);
                    w.WriteString("rationale", r.Rationale);
                    w.WriteStartObject("details");
                    foreach (var (key, value) in r.Details.Items) w.WriteString(key, value);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                buffer.Write("\n"u8);
            }
            await clickHouse.InsertAsync(Table, "JSONEachRow", buffer.WrittenMemory, "rec-" + run.RunId, cancellationToken);
        }
        await clickHouse.ExecuteAsync(catalog.Get(SqlNames.Recommendations.RecordRun), new QueryParameters
        {
            { "run_id", run.RunId }, { "run_at", run.RunAt }, { "window_days", (ushort)run.WindowDays },
            { "tenant_filter", run.TenantFilter }, { "scheduled", scheduled }, { "scopes", (ulong)run.Scopes },
            { "recommendations", (ulong)run.Recommendations.Count }, { "elapsed_ms", (ulong)run.Elapsed.TotalMilliseconds },
        }, cancellationToken);
    }

    /// <summary>The newest runs covering a tenant (empty: full runs), newest first.</summary>
    public async Task<IReadOnlyList<(string RunId, DateTimeOffset RunAt, int WindowDays)>> LatestRunsAsync(
        string? tenant, int limit, CancellationToken cancellationToken = default)
    {
        var json = await clickHouse.QueryAsync(catalog.Get(SqlNames.Recommendations.LatestRuns), "JSONEachRow",
            new QueryParameters { { "tenant", tenant ?? "" }, { "limit", (uint)limit } }, cancellationToken);
        var result = new List<(string, DateTimeOffset, int)>();
        foreach (var line in json.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var row = doc.RootElement;
            result.Add((row.GetProperty("run_id").GetString()!, ParseTime(row.GetProperty("run_at").GetString()!), (int)Long(row.GetProperty("window_days"))));
        }
        return result;
    }

    /// <summary>One run's recommendations, optionally for one tenant and project.</summary>
    public async Task<RecommendationRun?> ReadRunAsync(string runId, DateTimeOffset runAt, int windowDays, string? tenant, string? project,
        CancellationToken cancellationToken = default)
    {
        var json = await clickHouse.QueryAsync(catalog.Get(SqlNames.Recommendations.RunRecommendations), "JSONEachRow", new QueryParameters
        {
            { "run_id", runId }, { "tenant", tenant ?? "" }, { "project", project ?? "" },
        }, cancellationToken);
        var list = new List<Recommendation>();
        foreach (var line in json.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            list.Add(new Recommendation
            {
                Id = r.GetProperty("recommendation_id").GetString()!,
                Kind = RecommendationKinds.Parse(r.GetProperty("kind").GetString()!),
                Tenant = r.GetProperty("tenant").GetString()!,
                Project = r.GetProperty("project").GetString()!,
                Feature = r.GetProperty("feature").GetString()!,
                Provider = r.GetProperty("provider").GetString()!,
                CurrentModel = r.GetProperty("current_model").GetString()!,
                SuggestedProvider = r.GetProperty("suggested_provider").GetString()!,
                SuggestedModel = r.GetProperty("suggested_model").GetString()!,
                BudgetId = r.GetProperty("budget_id").GetString()!,
                Requests = Long(r.GetProperty("requests")),
                ObservedCostUsd = Dec(r.GetProperty("observed_cost_usd")),
                ProjectedCostUsd = Dec(r.GetProperty("projected_cost_usd")),
                EstimatedSavings30dUsd = Dec(r.GetProperty("estimated_savings_usd")),
                TrafficShare = Dec(r.GetProperty("traffic_share")),
                Confidence = Dec(r.GetProperty("confidence")),
                Rationale = r.GetProperty("rationale").GetString()!,
                Details = new RecommendationDetails(r.GetProperty("details").EnumerateObject()
                    .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!))),
            });
        }
        return new RecommendationRun(runId, runAt, windowDays, tenant ?? "", list);
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    // 64-bit integers come quoted in ClickHouse's JSON output, smaller ones as numbers.
    private static long Long(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? long.Parse(e.GetString()!, CultureInfo.InvariantCulture)
        : e.GetInt64();

    // Decimals come as numbers (parsed from their text, exactly) or, with quoting settings, as strings.
    private static decimal Dec(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? decimal.Parse(e.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture)
        : e.GetDecimal();
}
