using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CostOps.Core.Budgets;
using CostOps.Core.Recommendations;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Recommendations;
using CostOps.Infrastructure.Spend;
using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops report --out report.html</c>: one self-contained HTML file (inline SVG, no external assets) with spend over
/// time by model, each budget's burn-down with its alert markers, and savings by recommendation kind. Chart geometry is
/// computed in decimal, like the money it draws.
/// </summary>
public sealed class ReportCommand : ICliCommand
{
    private const int Width = 760;
    private const int Height = 240;
    private static readonly string[] Colors = ["#3366cc", "#dc3912", "#ff9900", "#109618", "#990099", "#0099c6", "#888888"];

    public string Name => "report";
    public string Summary => "Write a self-contained HTML report: spend by model over time, budget burn-down with alerts, savings.";
    private static readonly CliOption<string> Out = CliOption.Text("out", "FILE", "the HTML file to write").Default("report.html");
    private static readonly CliOption<int> Days = CliOption.Int("days", "N", "days of spend to show", 1, 366).Default(30);

    public CliSyntax Syntax { get; } = new(new CliForm("", [Out, Days]));
    public bool NeedsTables => true;
    public bool NeedsSchema => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var outPath = args.Get(Out);
        var days = args.Get(Days);
        var services = context.Services;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var spend = services.GetRequiredService<SpendQuery>();

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>CostOps report</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2rem;color:#222}h2{margin-top:2rem}svg{background:#fafafa;border:1px solid #ddd}")
            .Append(".legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem}")
            .Append("table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:right}td:first-child,th:first-child{text-align:left}")
            .Append("</style></head><body>")
            .Append($"<h1>CostOps report</h1><p>Generated {now:yyyy-MM-dd HH:mm} UTC, last {days} days.</p>");

        // 1. Spend over time by model (top six, the rest as "other").
        var byDayModel = await spend.RunAsync(now.AddDays(-days), now, ["day", "model"], null, cancellationToken);
        var top = byDayModel.GroupBy(r => r.Groups["model"]).OrderByDescending(g => g.Sum(r => r.CostUsd)).Select(g => g.Key).Take(6).ToList();
        var daysList = byDayModel.Select(r => r.Period).Distinct().Order(StringComparer.Ordinal).ToList();
        var series = top.Select(m => new Series(m, daysList.Select(day => byDayModel.Where(r => r.Period == day && r.Groups["model"] == m).Sum(r => r.CostUsd)).ToList())).ToList();
        var other = daysList.Select(day => byDayModel.Where(r => r.Period == day && !top.Contains(r.Groups["model"])).Sum(r => r.CostUsd)).ToList();
        if (other.Any(v => v > 0)) series.Add(new Series("other", other));
        html.Append("<h2>Spend over time by model (USD per day)</h2>");
        AppendLineChart(html, "spend-by-model", daysList, series, markers: []);

        // 2. Budget burn-down: cumulative spend in the current period against the limit, with alert markers.
        html.Append("<h2>Budget burn-down</h2>");
        var budgets = await services.GetRequiredService<BudgetService>().ListAsync(cancellationToken);
        // Marker rows since before the oldest period start a burn-down can show.
        async Task<List<JsonElement>> MarkerRowsAsync(string query) =>
            (await services.GetRequiredService<IClickHouse>().QueryAsync(services.GetRequiredService<SqlCatalog>().Get(query), "JSONEachRow",
                new QueryParameters { { "from", now.AddDays(-days - 31) } }, cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var alerts = await MarkerRowsAsync(SqlNames.Report.BudgetAlertsSince);
        var refusals = await MarkerRowsAsync(SqlNames.Report.AdmissionRefusalsSince);
        if (budgets.Count == 0) html.Append("<p>No budgets.</p>");
        foreach (var stored in budgets.Where(b => b.Budget.Enabled).OrderBy(b => b.Budget.Id))
        {
            var budget = stored.Budget;
            var period = BudgetPeriods.Current(budget, now);
            var daily = await spend.RunAsync(period.Start, now, ["day"], budget.Scope.Tenant, cancellationToken);
            // The x axis is the whole period as day boundaries (start, each midnight, end), so the limit line spans it
            // and the spend line starts at zero at the period's start: a period that began minutes ago still draws a
            // line, and how much of the period is left shows. Spend at a boundary is the sum of the days before it.
            var byDay = daily.ToDictionary(r => r.Period, r => r.CostUsd);
            var labels = new List<string>();
            var cumulative = new List<decimal>();
            var today = now.UtcDateTime.Date;
            for (var boundary = period.Start.UtcDateTime.Date; boundary <= period.End.UtcDateTime.Date; boundary = boundary.AddDays(1))
            {
                labels.Add(Day(boundary));
                if (boundary > today.AddDays(1)) continue;
                cumulative.Add(cumulative.Count == 0 ? 0 : cumulative[^1] + byDay.GetValueOrDefault(Day(boundary.AddDays(-1))));
            }
            // An alert on a day is drawn at that day's end, where the spend that crossed the threshold is plotted.
            var markers = alerts.Where(a => a.GetProperty("budget_id").GetString() == budget.Id)
                .OrderBy(a => a.GetProperty("kind").GetString(), StringComparer.Ordinal).ThenBy(a => a.GetProperty("threshold").GetInt32())
                .Select(a => (Day: a.GetProperty("fired_at").GetString()![..10], Text: $"{a.GetProperty("threshold").GetInt32()}% {a.GetProperty("kind").GetString()}"))
                .Select(m => new Marker(Day(DateTime.ParseExact(m.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(1)), m.Text, MarkerKind.Alert))
                // Refusals of a day at that day's end too: the spend they were refused at is plotted there.
                .Concat(refusals.Where(r => r.GetProperty("budget_id").GetString() == budget.Id)
                    .Select(r => new Marker(Day(DateTime.ParseExact(r.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(1)),
                        $"{r.GetProperty("refused").GetString()} refused", MarkerKind.Refusals)))
                .Where(m => labels.Contains(m.Label)).ToList();
            html.Append($"<h3>{E(budget.Id)} (tenant {E(budget.Scope.Tenant)}, {E(period.Key)}, limit ${budget.LimitUsd.ToString("N2", CultureInfo.InvariantCulture)})</h3>");
            AppendLineChart(html, $"burn-{budget.Id}", labels,
                [new Series("spend to date", cumulative), new Series("limit", labels.Select(_ => budget.LimitUsd).ToList(), LimitColor, Dashed: true)], markers);
        }

        // 3. Savings by recommendation kind (latest run).
        html.Append("<h2>Estimated savings by recommendation (per 30 days, latest run)</h2>");
        var (run, _) = await services.GetRequiredService<RecommendationService>().CurrentAsync(null, null, cancellationToken);
        var byKind = (run?.Recommendations ?? []).GroupBy(r => r.Kind.ToWireName())
            .Select(g => (Kind: g.Key, Saving: g.Sum(r => r.EstimatedSavings30dUsd), Count: g.Count())).OrderByDescending(k => k.Saving).ToList();
        AppendBarChart(html, "savings-by-kind", byKind.Select(k => (k.Kind, k.Saving)).ToList());
        html.Append("<table><tr><th>kind</th><th>recommendations</th><th>saving / 30 days</th></tr>");
        foreach (var k in byKind) html.Append($"<tr><td>{E(k.Kind)}</td><td>{k.Count}</td><td>${k.Saving.ToString("N2", CultureInfo.InvariantCulture)}</td></tr>");
        html.Append("</table><p>Model substitution and budget pressure can name the same change; they are not additive.</p>");

        // The only script: marks the page rendered, so a headless browser check can tell a complete page from a broken one.
        html.Append("<script>document.documentElement.dataset.rendered = String(document.querySelectorAll('svg.chart').length);</script></body></html>");
        await File.WriteAllTextAsync(outPath, html.ToString(), cancellationToken);
        context.Out.WriteLine($"Wrote {Path.GetFullPath(outPath)} ({html.Length / 1024:N0} KB): {series.Count} model series, {budgets.Count} budgets, {byKind.Count} recommendation kinds.");
        return 0;
    }

    /// <summary>One line of a chart; reference lines (a budget's limit) are grey and dashed so they never read as data or alerts.</summary>
    private sealed record Series(string Name, List<decimal> Values, string? Color = null, bool Dashed = false);

    private const string LimitColor = "#555555";
    private const string AlertColor = "#c00";
    private const string RefusalColor = "#7b1fa2";

    private enum MarkerKind { Alert, Refusals }

    /// <summary>A mark on a chart's day: an alert fired, or calls a blocking budget refused.</summary>
    private sealed record Marker(string Label, string Text, MarkerKind Kind);

    private static (string Color, int Row) MarkerStyle(MarkerKind kind) => kind == MarkerKind.Alert ? (AlertColor, 0) : (RefusalColor, 1);

    private static string MarkerLegend(MarkerKind kind) => kind == MarkerKind.Alert ? "alert" : "calls refused (blocking budget)";

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string N(decimal value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);

    private static void AppendLineChart(StringBuilder html, string id, IReadOnlyList<string> labels,
        IReadOnlyList<Series> series, IReadOnlyList<Marker> markers)
    {
        var max = series.SelectMany(s => s.Values).DefaultIfEmpty(0m).Max();
        if (max <= 0) max = 1;
        decimal X(int i) => labels.Count <= 1 ? 40 : 40 + (Width - 60) * (decimal)i / (labels.Count - 1);
        decimal Y(decimal v) => Height - 30 - (Height - 50) * v / max;

        html.Append($"<svg class=\"chart\" id=\"{E(id)}\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\">");
        html.Append($"<text x=\"4\" y=\"14\" font-size=\"11\">${max.ToString("N2", CultureInfo.InvariantCulture)}</text>");
        html.Append($"<line x1=\"40\" y1=\"{Height - 30}\" x2=\"{Width - 20}\" y2=\"{Height - 30}\" stroke=\"#999\"/>");
        if (labels.Count > 0)
        {
            html.Append($"<text x=\"40\" y=\"{Height - 12}\" font-size=\"11\">{E(labels[0])}</text>");
            html.Append($"<text x=\"{Width - 90}\" y=\"{Height - 12}\" font-size=\"11\">{E(labels[^1])}</text>");
        }
        for (var s = 0; s < series.Count; s++)
        {
            var points = string.Join(' ', series[s].Values.Select((v, i) => $"{N(X(i))},{N(Y(v))}"));
            var dash = series[s].Dashed ? " stroke-dasharray=\"6 4\"" : "";
            html.Append($"<polyline fill=\"none\" stroke=\"{ColorOf(series, s)}\" stroke-width=\"2\"{dash} points=\"{points}\"><title>{E(series[s].Name)}</title></polyline>");
        }
        // One marker per day and kind; its label lists them (50%, 80% and 100% often fire on the same tick). Each kind
        // has its own colour and label row, so an alert and the refusals of the same day do not hide each other.
        foreach (var day in markers.GroupBy(m => (m.Label, m.Kind)))
        {
            var x = X(labels.ToList().IndexOf(day.Key.Label));
            var (color, row) = MarkerStyle(day.Key.Kind);
            var text = string.Join(", ", day.Select(m => m.Text));
            html.Append($"<line x1=\"{N(x)}\" y1=\"20\" x2=\"{N(x)}\" y2=\"{Height - 30}\" stroke=\"{color}\" stroke-dasharray=\"4 3\"><title>{E(text)} by {E(day.Key.Label)}</title></line>");
            // Labels near the right edge are anchored at their end so they stay inside the chart.
            var anchor = x > Width / 2 ? "end" : "start";
            html.Append($"<text x=\"{N(anchor == "end" ? x - 4 : x + 4)}\" y=\"{30 + 14 * row}\" font-size=\"11\" fill=\"{color}\" text-anchor=\"{anchor}\">{E(text)}</text>");
        }
        html.Append("</svg><div class=\"legend\">");
        for (var s = 0; s < series.Count; s++) html.Append($"<span><i style=\"background:{ColorOf(series, s)}\"></i>{E(series[s].Name)}</span>");
        foreach (var kind in markers.Select(m => m.Kind).Distinct().Order()) html.Append($"<span><i style=\"background:{MarkerStyle(kind).Color}\"></i>{E(MarkerLegend(kind))}</span>");
        html.Append("</div>");
    }

    private static string ColorOf(IReadOnlyList<Series> series, int index) => series[index].Color ?? Colors[index % Colors.Length];

    private static void AppendBarChart(StringBuilder html, string id, IReadOnlyList<(string Label, decimal Value)> bars)
    {
        var max = bars.Select(b => b.Value).DefaultIfEmpty(0m).Max();
        if (max <= 0) max = 1;
        const int row = 26;
        var height = Math.Max(row, bars.Count * row) + 10;
        html.Append($"<svg class=\"chart\" id=\"{E(id)}\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var w = N((Width - 320) * bars[i].Value / max);
            html.Append($"<text x=\"4\" y=\"{i * row + 18}\" font-size=\"12\">{E(bars[i].Label)}</text>");
            html.Append($"<rect x=\"170\" y=\"{i * row + 5}\" width=\"{w}\" height=\"{row - 8}\" fill=\"{Colors[i % Colors.Length]}\"><title>${bars[i].Value.ToString("N2", CultureInfo.InvariantCulture)}</title></rect>");
            html.Append($"<text x=\"{N(175 + (Width - 320) * bars[i].Value / max)}\" y=\"{i * row + 18}\" font-size=\"12\">${bars[i].Value.ToString("N2", CultureInfo.InvariantCulture)}</text>");
        }
        html.Append("</svg>");
    }
}
