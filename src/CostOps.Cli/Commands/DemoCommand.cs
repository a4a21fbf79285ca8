using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using CostOps.Core.Budgets;
using CostOps.Core.LoadGen;
using CostOps.Core.Recommendations;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Recommendations;
using CostOps.Infrastructure.Spend;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops demo</c>, the main job: on the local embedded set-up, generate a realistic month of traffic for several
/// tenants, ingest it through the real pipeline, seed budgets, evaluate them, deliver alerts to a local signed-webhook
/// receiver, run the recommendations, and print what a platform team wants to see. Same-day reruns replay the same
/// event ids, which shows the other half of the promise: every total stays where it was.
/// </summary>
public sealed class DemoCommand : ICliCommand
{
    private const string DemoSecret = "costops-demo-webhook-secret-0123456789";

    public string Name => "demo";
    public string Summary => "Run the whole thing locally on a month of synthetic traffic and show the results (the main job).";
    public string Usage => "costops demo [--events 150000] [--tenants 8]";
    public bool NeedsTables => true;
    public bool NeedsSchema => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var events = int.TryParse(args.Option("events") ?? "150000", out var e) && e > 0 ? e : throw new CliUsageException("--events must be a positive number.");
        var tenants = int.TryParse(args.Option("tenants") ?? "8", out var t) && t is > 0 and <= 12 ? t : throw new CliUsageException("--tenants must be 1..12.");
        args.RejectUnknown();
        var services = context.Services;
        var output = context.Out;
        var time = services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();
        var total = Stopwatch.StartNew();

        Step(output, 1, "Preparing: ClickHouse schema (embedded chDB) and Azure tables (Azurite)...");
        output.WriteLine($"      database '{services.GetRequiredService<IClickHouse>().Database}' migrated; tables {string.Join(", ", TableNames.All)} ready.");

        Step(output, 2, $"Generating 30 days of traffic: {events:N0} events, {tenants} tenants, 16 workloads across 8 providers...");
        var buffer = new ArrayBufferWriter<byte>(events * 420);
        var seed = int.Parse(now.ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        new TrafficGenerator(new TrafficProfile { Events = events, Days = 30, Tenants = tenants, Seed = seed }, new DayStart(now)).WriteNdjson(buffer);
        output.WriteLine($"      {buffer.WrittenCount / 1e6:F1} MB of NDJSON, with a few bad events and producer retries mixed in, as in real life.");

        Step(output, 3, "Ingesting through the pipeline (validate, deduplicate, price, store, roll up)...");
        var ingestClock = Stopwatch.StartNew();
        var summary = await IngestPipeline.RunAsync(services.GetRequiredService<UsageIngestionHandler>(), services.GetRequiredService<SpendRollups>(),
            Batches(buffer.WrittenMemory), "demo", s => context.Progress($"      {s.Accepted + s.Rejected + s.Duplicates:N0} events..."), cancellationToken);
        context.EndProgress();
        output.WriteLine($"      accepted {summary.Accepted:N0}, rejected {summary.Rejected:N0}, duplicates {summary.Duplicates:N0}, unpriced {summary.Unpriced:N0} "
            + $"in {ingestClock.Elapsed.TotalSeconds:F1} s ({(summary.Accepted + summary.Rejected + summary.Duplicates) / ingestClock.Elapsed.TotalSeconds:N0} events/s).");
        if (summary.Accepted == 0 && summary.Duplicates > 0)
        {
            output.WriteLine("      Everything was already stored (a rerun today): all duplicates, no total moved.");
        }

        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var spend = services.GetRequiredService<SpendQuery>();
        var spendByTenant = await spend.RunAsync(monthStart, now, ["tenant"], null, cancellationToken);

        Step(output, 4, "Budgets: seeding, evaluating, delivering alerts to a local signed-webhook receiver...");
        await using var receiver = new DemoWebhookReceiver(DemoSecret);
        var seeded = await SeedBudgetsAsync(services, spendByTenant, receiver.Url, cancellationToken);
        var report = await services.GetRequiredService<BudgetEvaluator>().EvaluateAsync(cancellationToken);
        var delivery = await services.GetRequiredService<AlertDeliveryWorker>().RunOnceAsync(cancellationToken);
        output.WriteLine($"      {seeded} budgets; this tick enqueued {report.Enqueued.Count} alert(s), delivered {delivery.Delivered}, "
            + $"receiver got {receiver.Received.Count} (signatures valid: {receiver.Received.Count(r => r.SignatureValid)}).");

        Step(output, 5, "Recommendations: re-pricing the last 30 days of traffic under alternatives...");
        var run = await services.GetRequiredService<RecommendationService>().RunAsync(30, cancellationToken: cancellationToken);
        output.WriteLine($"      run {run.RunId}: {run.Recommendations.Count} recommendations over {run.Scopes} scopes in {run.Elapsed.TotalSeconds:F1} s.");

        Step(output, 6, "What CostOps sees");
        output.WriteLine();
        output.WriteLine($"Spend this month by tenant ({monthStart:yyyy-MM-dd} .. now, UTC):");
        TextTable.Write(output, ["tenant", "cost_usd", "requests", "input_tok", "output_tok", "cached_tok", "unpriced"],
            spendByTenant.Select(r => SpendCommand.Row(r, false, ["tenant"])).ToList(), new HashSet<int> { 1, 2, 3, 4, 5, 6 });

        output.WriteLine();
        output.WriteLine("Spend this month by model (top 10):");
        var byModel = await spend.RunAsync(monthStart, now, ["provider", "model"], null, cancellationToken);
        TextTable.Write(output, ["provider", "model", "cost_usd", "requests", "input_tok", "output_tok", "cached_tok", "unpriced"],
            byModel.Take(10).Select(r => SpendCommand.Row(r, false, ["provider", "model"])).ToList(), new HashSet<int> { 2, 3, 4, 5, 6, 7 });

        output.WriteLine();
        output.WriteLine("Budgets (current period):");
        TextTable.Write(output, ["budget", "period", "limit", "spend", "used", "forecast", "state"],
            report.Statuses.OrderBy(s => s.BudgetId).Select(s => (IReadOnlyList<string>)
            [
                s.BudgetId, s.Period.Key, Money(s.LimitUsd), Money(s.SpendUsd), $"{s.Percent:F1}%", Money(s.ForecastUsd), s.State.ToString().ToLowerInvariant(),
            ]).ToList(), new HashSet<int> { 2, 3, 4, 5 });

        output.WriteLine();
        output.WriteLine("Alerts (outbox; each fires once per budget, period, threshold and kind):");
        var alerts = await services.GetRequiredService<AlertOutbox>().ListAsync(cancellationToken: cancellationToken);
        if (alerts.Count == 0) output.WriteLine("  none");
        else TextTable.Write(output, ["budget", "period", "threshold", "kind", "channel", "status", "attempts"],
            alerts.OrderBy(a => a.BudgetId).ThenBy(a => a.Threshold).Take(15).Select(a => (IReadOnlyList<string>)
            [
                a.BudgetId, a.PeriodKey, $"{a.Threshold}%", a.Kind, a.Channel, a.Status, a.Attempts.ToString(CultureInfo.InvariantCulture),
            ]).ToList());

        output.WriteLine();
        // One line per change: a substitution and the budget pressure it would relieve name the same move and are not additive.
        output.WriteLine("Top recommendations (one line per change; estimated saving per 30 days):");
        var top = run.Recommendations
            .GroupBy(r => (r.Tenant, r.Project, r.Feature, r.CurrentModel, r.SuggestedModel))
            .Select(g => g.OrderByDescending(r => r.EstimatedSavings30dUsd).ThenBy(r => r.Kind).ToList())
            .OrderByDescending(g => g[0].EstimatedSavings30dUsd).ThenBy(g => g[0].Id, StringComparer.Ordinal)
            .Take(8).ToList();
        if (top.Count == 0) output.WriteLine("  none");
        else TextTable.Write(output, ["kind", "tenant/project/feature", "current", "suggested", "saving_30d", "confidence"],
            top.Select(g => (IReadOnlyList<string>)
            [
                string.Join(" + ", g.Select(r => r.Kind.ToWireName()).Distinct()), $"{g[0].Tenant}/{g[0].Project}/{g[0].Feature}", g[0].CurrentModel,
                g[0].SuggestedModel is { Length: > 0 } s ? s : "-", Money(g[0].EstimatedSavings30dUsd), g[0].Confidence.ToString("F2", CultureInfo.InvariantCulture),
            ]).ToList(), new HashSet<int> { 4, 5 });
        if (top.Count > 0) output.WriteLine($"  why #1: {top[0][0].Rationale}");

        output.WriteLine();
        var rejects = await services.GetRequiredService<IClickHouse>().QueryAsync(services.GetRequiredService<SqlCatalog>().Get("ingest/reject_reasons"),
            "TSV", new QueryParameters { { "source", "demo" } }, cancellationToken);
        output.WriteLine("Rejected events by reason (kept with their raw text; 'costops rejects' lists them):");
        foreach (var line in rejects.Split('\n', StringSplitOptions.RemoveEmptyEntries)) output.WriteLine($"  {line.Replace('\t', ' ')}");

        output.WriteLine();
        output.WriteLine($"Done in {total.Elapsed.TotalSeconds:F0} s. Look further:");
        output.WriteLine("  dotnet run --project src/CostOps.Cli -- spend --group-by tenant,project,model");
        output.WriteLine("  dotnet run --project src/CostOps.Cli -- spend --group-by day --tenant acme");
        output.WriteLine("  dotnet run --project src/CostOps.Cli -- budgets list");
        output.WriteLine("  dotnet run --project src/CostOps.Cli -- recommend --json");
        output.WriteLine("  dotnet run --project src/CostOps.Cli -- rejects");
        output.WriteLine("  dotnet run --project src/CostOps.Cli -- report --out report.html   # charts: spend by model, budget burn-down, savings");
        output.WriteLine("  dotnet run --project src/CostOps.Cli -- sql \"SELECT model, sum(cost_usd) FROM usage_events FINAL GROUP BY model ORDER BY 2 DESC\" --format PrettyCompact");
        output.WriteLine("  dotnet run --project src/CostOps.Cli -- serve        # the HTTP API and schedules, as the Functions app runs them");
        return 0;
    }

    private static void Step(TextWriter output, int n, string text) => output.WriteLine($"[{n}/6] {text}");

    private static string Money(decimal value) => "$" + value.ToString("N2", CultureInfo.InvariantCulture);

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Batches(ReadOnlyMemory<byte> ndjson)
    {
        await using var stream = new MemoryStream(ndjson.ToArray(), writable: false);
        await foreach (var batch in PayloadBatches.ReadAsync(stream, 25_000, CancellationToken.None)) yield return batch;
    }

    /// <summary>Budgets sized from this month's spend so the demo shows every state: exceeded, warning with a forecast alert, ok.</summary>
    private static async Task<int> SeedBudgetsAsync(IServiceProvider services, IReadOnlyList<SpendRow> spendByTenant, string webhook, CancellationToken cancellationToken)
    {
        var budgets = services.GetRequiredService<BudgetService>();
        decimal SpendOf(int i) => i < spendByTenant.Count ? spendByTenant[i].CostUsd : 100m;
        string TenantOf(int i) => i < spendByTenant.Count ? spendByTenant[i].Groups["tenant"] : "acme";
        var definitions = new[]
        {
            (Id: $"{TenantOf(0)}-monthly", Tenant: TenantOf(0), Limit: Math.Round(SpendOf(0) * 0.9m, 0)),
            (Id: $"{TenantOf(1)}-monthly", Tenant: TenantOf(1), Limit: Math.Round(SpendOf(1) * 1.2m, 0)),
            (Id: $"{TenantOf(2)}-monthly", Tenant: TenantOf(2), Limit: Math.Round(SpendOf(2) * 3m, 0)),
        };
        foreach (var (id, tenant, limit) in definitions)
        {
            var json = $$"""
                {"id":"{{id}}","scope":{"tenant":"{{tenant}}"},"period":"month","timeZone":"UTC","limitUsd":{{Math.Max(1m, limit).ToString(CultureInfo.InvariantCulture)}},
                 "thresholds":[{"percent":50,"kind":"actual"},{"percent":80,"kind":"actual"},{"percent":100,"kind":"actual"},{"percent":100,"kind":"forecast"}],
                 "channels":{"webhook":"{{webhook}}","webhookSecret":"{{DemoSecret}}"},"enabled":true}
                """;
            var budget = budgets.Parse(json);
            if (await budgets.GetAsync(id, cancellationToken) is null) await budgets.AddAsync(budget, cancellationToken);
            else await budgets.UpdateAsync(budget, null, cancellationToken);
        }
        return definitions.Length;
    }

    /// <summary>Today's midnight as "now" for generation, so same-day reruns produce the same events (and prove dedup).</summary>
    private sealed class DayStart(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero);
    }
}
