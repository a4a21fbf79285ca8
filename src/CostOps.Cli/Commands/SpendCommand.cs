using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary><c>costops spend</c>: exact spend totals grouped by any of tenant, project, user, feature, provider, model, hour, day.</summary>
public sealed class SpendCommand : ICliCommand
{
    private static readonly string[] Dimensions = ["tenant", "project", "user", "feature", "provider", "model"];

    public string Name => "spend";
    public string Summary => "Spend totals (exact decimals) for a time range, grouped as you ask.";
    public string Usage => "costops spend [--from ISO] [--to ISO] [--group-by tenant,project,user,feature,provider,model,hour,day] [--tenant T] [--json]";
    public IReadOnlySet<string> Flags => new HashSet<string> { "json" };
    public bool NeedsSchema => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var json = args.Flag("json");
        var time = context.Services.GetRequiredService<TimeProvider>();
        // Rollups are hourly: the range is widened to whole hours (from rounded down, to rounded up).
        var to = CeilingHour(ParseInstant(args.Option("to"), "--to") ?? time.GetUtcNow());
        var from = FloorHour(ParseInstant(args.Option("from"), "--from") ?? to.AddDays(-30));
        var groups = (args.Option("group-by") ?? "tenant").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tenant = args.Option("tenant") ?? "";
        args.RejectUnknown();
        var unknown = groups.Except(Dimensions).Except(["hour", "day"]).ToList();
        if (unknown.Count > 0) throw new CliUsageException($"--group-by takes {string.Join(",", Dimensions)},hour,day (not {string.Join(",", unknown)}).");

        var parameters = new QueryParameters
        {
            { "from", from }, { "to", to }, { "tenant", tenant },
            { "by_hour", groups.Contains("hour") }, { "by_day", groups.Contains("day") },
        };
        foreach (var d in Dimensions) parameters.Add($"by_{d}", groups.Contains(d));

        var clickHouse = context.Services.GetRequiredService<IClickHouse>();
        var sql = context.Services.GetRequiredService<SqlCatalog>().Get("spend/spend_by");
        var rows = (await clickHouse.QueryAsync(sql, "JSONEachRow", parameters, cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .ToList();
        var shown = groups.Where(g => g is not ("hour" or "day")).ToList();
        var period = groups.Contains("hour") ? "hour" : groups.Contains("day") ? "day" : null;

        if (json)
        {
            var output = new JsonArray();
            foreach (var row in rows)
            {
                var item = new JsonObject();
                if (period is not null) item[period] = row["period"]!.GetValue<string>();
                foreach (var g in shown) item[g] = row[$"g_{g}"]!.GetValue<string>();
                item["cost_usd"] = row["total_cost_usd"]!.GetValue<string>();
                foreach (var field in new[] { "requests", "errors", "input_tokens", "output_tokens", "cached_input_tokens", "cache_write_tokens", "reasoning_tokens", "unpriced_requests" })
                {
                    item[field] = row[field]!.DeepClone();
                }
                output.Add(item);
            }
            context.Out.WriteLine(output.ToJsonString());
            return 0;
        }

        var headers = (period is null ? [] : new List<string> { period }).Concat(shown).Concat(["cost_usd", "requests", "input_tok", "output_tok", "cached_tok", "unpriced"]).ToList();
        var numeric = new HashSet<int>(Enumerable.Range(headers.Count - 6, 6));
        var table = rows.Select(r => (IReadOnlyList<string>)(period is null ? [] : new List<string> { r["period"]!.GetValue<string>() })
            .Concat(shown.Select(g => r[$"g_{g}"]!.GetValue<string>() is { Length: > 0 } v ? v : "-"))
            .Concat([
                Money(r["total_cost_usd"]!.GetValue<string>()), Count(r["requests"]), Count(r["input_tokens"]), Count(r["output_tokens"]),
                Count(r["cached_input_tokens"]), Count(r["unpriced_requests"]),
            ]).ToList()).ToList();
        context.Out.WriteLine($"Spend {from:yyyy-MM-dd HH:mm} .. {to:yyyy-MM-dd HH:mm} UTC{(tenant.Length > 0 ? $", tenant {tenant}" : "")}:");
        TextTable.Write(context.Out, headers, table, numeric);
        var total = rows.Sum(r => decimal.Parse(r["total_cost_usd"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        context.Out.WriteLine($"Total: ${total.ToString("N2", CultureInfo.InvariantCulture)} over {rows.Sum(r => r["requests"]!.GetValue<long>()):N0} requests");
        return 0;
    }

    private static DateTimeOffset FloorHour(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);

    private static DateTimeOffset CeilingHour(DateTimeOffset t) => t.UtcTicks % TimeSpan.TicksPerHour == 0 ? t.ToUniversalTime() : FloorHour(t).AddHours(1);

    private static string Money(string exact) => "$" + decimal.Parse(exact, CultureInfo.InvariantCulture).ToString("N4", CultureInfo.InvariantCulture);

    private static string Count(JsonNode? n) => n!.GetValue<long>().ToString("N0", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseInstant(string? text, string option) => text is null
        ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new CliUsageException($"{option} must be an ISO-8601 date or instant, e.g. 2026-11-01 or 2026-11-01T00:00:00Z.");
}
