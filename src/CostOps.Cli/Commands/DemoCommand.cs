using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using CostOps.Core.Budgets;
using CostOps.Core.LoadGen;
using CostOps.Core.Recommendations;
using CostOps.Infrastructure.Admission;
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
/// receiver, run the recommendations, and print what a platform team wants to see. Reruns replay the same events
/// (a day's traffic is always the same), which shows the other half of the promise: every total stays where it was.
/// It makes sense at any instant (<c>COSTOPS_NOW</c> picks one): its window is the last 30 days up to the current hour
/// and two of its budgets are rolling, so the first minutes of a month show the same numbers as any other time.
/// </summary>
public sealed class DemoCommand : ICliCommand
{
    private const string DemoSecret = "costops-demo-webhook-secret-0123456789";

    /// <summary>Whole days of traffic before today (today's hours so far come on top).</summary>
    private const int TrafficDays = 30;

    /// <summary>Fixed, so every run draws the same traffic for the same day: reruns replay, they never add a second copy.</summary>
    private const int TrafficSeed = 20_260_101;

    public string Name => "demo";
    public string Summary => "Run the whole thing locally on a month of synthetic traffic and show the results (the main job). COSTOPS_NOW=<ISO instant> runs it as of that instant.";
    private static readonly CliOption<int> Events = CliOption.Int("events", "N", "about how many events to generate", min: 1).Default(150_000);
    private static readonly CliOption<int> Tenants = CliOption.Int("tenants", "N", "how many tenants", 1, 12).Default(8);

    public CliSyntax Syntax { get; } = new(new CliForm("", [Events, Tenants]));
    public bool NeedsTables => true;

    // The demo's own signed-webhook receiver listens on loopback: the one place loopback receivers are allowed by default.
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Webhooks:AllowLoopback"] = "true" };
    public bool NeedsSchema => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var events = args.Get(Events);
        var tenants = args.Get(Tenants);
        var services = context.Services;
        var output = context.Out;
        var time = services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();
        var total = Stopwatch.StartNew();

        Step(output, 1, $"Preparing: ClickHouse schema and Azure tables ({StoreNames.Describe(services)})...");
        output.WriteLine($"      database '{services.GetRequiredService<IClickHouse>().Database}' migrated; tables {string.Join(", ", TableNames.All)} ready.");

        // Traffic runs up to the start of the current hour, day by day (a day always yields the same events): a rerun
        // within the hour replays everything, a later one adds only the hours since. The summary shows that window,
        // not the calendar month, so the numbers are there at any instant (on the 1st at 00:20 the month is empty).
        var generatedUntil = SpendQuery.FloorHour(now);
        var windowStart = new DateTimeOffset(generatedUntil.UtcDateTime.Date, TimeSpan.Zero).AddDays(-TrafficDays);
        Step(output, 2, $"Generating {TrafficDays} days of traffic up to {generatedUntil:yyyy-MM-dd HH:mm} UTC: about {events:N0} events, {tenants} tenants, 18 workloads across 8 providers...");
        var buffer = new ArrayBufferWriter<byte>(events * 450);
        var generated = new TrafficGenerator(new TrafficProfile { Events = events, Days = TrafficDays, Tenants = tenants, Seed = TrafficSeed }, new FixedClock(generatedUntil))
            .WriteDailyNdjson(buffer);
        output.WriteLine($"      {generated:N0} events, {buffer.WrittenCount / 1e6:F1} MB of NDJSON, with a few bad events and producer retries mixed in, as in real life.");

        Step(output, 3, "Ingesting through the pipeline (validate, deduplicate, price, store, roll up)...");
        var ingestClock = Stopwatch.StartNew();
        var summary = await IngestPipeline.RunAsync(services.GetRequiredService<UsageIngestionHandler>(), services.GetRequiredService<SpendRollups>(),
            Batches(buffer.WrittenMemory), "demo", s => context.Progress($"      {s.Accepted + s.Rejected + s.Duplicates:N0} events..."), cancellationToken);
        context.EndProgress();
        output.WriteLine($"      accepted {summary.Accepted:N0}, rejected {summary.Rejected:N0}, duplicates {summary.Duplicates:N0}, unpriced {summary.Unpriced:N0} "
            + $"in {ingestClock.Elapsed.TotalSeconds:F1} s ({(summary.Accepted + summary.Rejected + summary.Duplicates) / ingestClock.Elapsed.TotalSeconds:N0} events/s).");
        if (summary.Accepted == 0 && summary.Duplicates > 0)
        {
            output.WriteLine("      Everything was already stored (a rerun within the hour): all duplicates, no total moved.");
        }

        var spend = services.GetRequiredService<SpendQuery>();
        var spendByTenant = await spend.RunAsync(windowStart, now, ["tenant"], null, cancellationToken);

        Step(output, 4, "Budgets: seeding, enforcing one at the gateway, evaluating, delivering alerts to a local signed-webhook receiver...");
        await using var receiver = new DemoWebhookReceiver(DemoSecret);
        var seeded = await SeedBudgetsAsync(services, spendByTenant.Where(r => r.Groups["tenant"] != GatewayTenant).ToList(), receiver.Url, now, cancellationToken);
        var gateway = await GatewayAsync(services, receiver.Url, now, cancellationToken);
        output.WriteLine($"      gateway: {GatewayCalls} calls of at most {Money4(GatewayWorstCase)} asked admission against a blocking budget of {Money(GatewayLimit)} a day "
            + $"(tenant '{GatewayTenant}'): {gateway.Admitted} admitted and made, {gateway.Refused} refused (429); its spend today {Money4(gateway.SpendUsd)}, never above the limit.");
        if (gateway.Admitted == 0) output.WriteLine("      (today's budget was spent by an earlier run: every call is refused until the period resets.)");
        spendByTenant = await spend.RunAsync(windowStart, now, ["tenant"], null, cancellationToken);
        var report = await services.GetRequiredService<BudgetEvaluator>().EvaluateAsync(cancellationToken);
        var delivery = await services.GetRequiredService<AlertDeliveryWorker>().RunOnceAsync(cancellationToken);
        output.WriteLine($"      {seeded + 1} budgets; this tick enqueued {report.Enqueued.Count} alert(s), delivered {delivery.Delivered} (alerts and pricing notices), "
            + $"receiver got {receiver.Received.Count} (signatures valid: {receiver.Received.Count(r => r.SignatureValid)}).");

        Step(output, 5, "Recommendations: re-pricing the last 30 days of traffic under alternatives...");
        var run = await services.GetRequiredService<RecommendationService>().RunAsync(30, cancellationToken: cancellationToken);
        output.WriteLine($"      run {run.RunId}: {run.Recommendations.Count} recommendations over {run.Scopes} scopes in {run.Elapsed.TotalSeconds:F1} s.");

        Step(output, 6, "What CostOps sees");
        output.WriteLine();
        var window = $"{windowStart:yyyy-MM-dd HH:mm} .. {now:yyyy-MM-dd HH:mm} UTC";
        output.WriteLine($"Spend over the last {TrafficDays} days by tenant ({window}):");
        TextTable.Write(output, ["tenant", "cost_usd", "requests", "input_tok", "output_tok", "cached_tok", "unpriced"],
            spendByTenant.Select(r => SpendCommand.Row(r, false, ["tenant"])).ToList(), new HashSet<int> { 1, 2, 3, 4, 5, 6 });

        output.WriteLine();
        output.WriteLine($"Spend over the last {TrafficDays} days by model (top 10, {window}):");
        var byModel = await spend.RunAsync(windowStart, now, ["provider", "model"], null, cancellationToken);
        TextTable.Write(output, ["provider", "model", "cost_usd", "requests", "input_tok", "output_tok", "cached_tok", "unpriced"],
            byModel.Take(10).Select(r => SpendCommand.Row(r, false, ["provider", "model"])).ToList(), new HashSet<int> { 2, 3, 4, 5, 6, 7 });

        output.WriteLine();
        output.WriteLine($"Budgets (current period at {now:yyyy-MM-dd HH:mm} UTC; rolling periods are the trailing days including today):");
        TextTable.Write(output, ["budget", "period", "limit", "spend", "used", "forecast", "state"],
            report.Statuses.OrderBy(s => s.BudgetId).Select(s => (IReadOnlyList<string>)
            [
                // Spend to four places when cents would round it onto the limit ($0.9975 is not $1.00).
                s.BudgetId, s.Period.Key, Money(s.LimitUsd), "$" + s.SpendUsd.ToString("#,0.00##", CultureInfo.InvariantCulture), $"{s.Percent:F1}%", Money(s.ForecastUsd), s.State.ToString().ToLowerInvariant(),
            ]).ToList(), new HashSet<int> { 2, 3, 4, 5 });

        output.WriteLine();
        output.WriteLine("Alerts and pricing notices (outbox; an alert fires once per budget, period, threshold and kind, a notice once per model):");
        var alerts = await services.GetRequiredService<AlertOutbox>().ListAsync(cancellationToken: cancellationToken);
        if (alerts.Count == 0) output.WriteLine("  none");
        else TextTable.Write(output, ["budget", "period", "threshold", "kind", "channel", "status", "attempts"],
            alerts.OrderBy(a => a.BudgetId).ThenBy(a => a.Threshold).Take(15).Select(a => (IReadOnlyList<string>)
            [
                // A pricing notice (a model without a price, a price change) has no period or threshold.
                a.BudgetId, a.IsNotice ? "-" : a.PeriodKey, a.IsNotice ? "-" : $"{a.Threshold}%", a.Kind, a.Channel, a.Status, a.Attempts.ToString(CultureInfo.InvariantCulture),
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
        var rejects = await services.GetRequiredService<IClickHouse>().QueryAsync(services.GetRequiredService<SqlCatalog>().Get(SqlNames.Ingest.RejectReasons),
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

    private static string Money4(decimal value) => "$" + value.ToString("0.0000", CultureInfo.InvariantCulture);

    private const string GatewayTenant = "gateway";
    private const int GatewayCalls = 200;
    private const decimal GatewayLimit = 1.00m;

    /// <summary>gpt-4o's worst case for 1,000 input and at most 500 output tokens: 1,000 x $2.50 + 500 x $10 per million.</summary>
    private const decimal GatewayWorstCase = 0.0075m;

    /// <summary>
    /// A blocking budget doing its job at the gateway, through the same admission service as <c>POST /api/admission</c>:
    /// calls of gpt-4o (1,000 input, at most 500 output tokens) ask admission against a $1.00 daily budget; each admitted
    /// call is made and its usage event (all 500 output tokens) settles its reservation; the rest are refused (recorded,
    /// and marked on the report's burn-down). 133 fit: spend ends at $0.9975. A rerun the same day finds the budget spent.
    /// </summary>
    private static async Task<(int Admitted, int Refused, decimal SpendUsd)> GatewayAsync(IServiceProvider services, string webhook, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var budgets = services.GetRequiredService<BudgetService>();
        var budget = budgets.Parse($$"""
            {"id":"{{GatewayTenant}}-daily-block","scope":{"tenant":"{{GatewayTenant}}"},"period":"daily","timeZone":"UTC","limitUsd":{{GatewayLimit.ToString(CultureInfo.InvariantCulture)}},
             "action":"block","channels":{"webhook":"{{webhook}}","webhookSecret":"{{DemoSecret}}"},"enabled":true}
            """);
        await PutAsync(budgets, budget, cancellationToken);

        var admission = services.GetRequiredService<AdmissionService>();
        var made = new List<ReadOnlyMemory<byte>>();
        var refused = 0;
        // Request ids unique to this run: a rerun asks again, it does not replay.
        var run = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < GatewayCalls; i++)
        {
            var requestId = $"gw-{run}-{i}";
            var decision = await admission.AdmitAsync(new AdmissionRequest(requestId, GatewayTenant, "assistant", null, "chat", "openai", "gpt-4o", 1_000, null, 500),
                cancellationToken);
            if (decision.Decision == AdmissionDecision.Deny)
            {
                refused++;
                continue;
            }
            made.Add(System.Text.Encoding.UTF8.GetBytes($$"""
                {"event_id":"{{requestId}}","timestamp":"{{now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}}","tenant":"{{GatewayTenant}}","project":"assistant","feature":"chat","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":500}
                """.Trim()));
        }
        if (made.Count > 0) await services.GetRequiredService<UsageIngestionHandler>().HandleAsync(made, "demo-gateway", cancellationToken);
        var period = BudgetPeriods.Current(budget, now);
        var spent = (await services.GetRequiredService<SpendQuery>().RunAsync(period.Start, now.AddSeconds(1), ["tenant"], GatewayTenant, cancellationToken)).Sum(r => r.CostUsd);
        return (made.Count, refused, spent);
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Batches(ReadOnlyMemory<byte> ndjson)
    {
        await using var stream = new MemoryStream(ndjson.ToArray(), writable: false);
        await foreach (var batch in PayloadBatches.ReadAsync(stream, 25_000, CancellationToken.None)) yield return batch;
    }

    /// <summary>
    /// Three budgets, each sized from its own current period's spend so the demo shows every state at any instant:
    /// a rolling 7-day one exceeded, a rolling 30-day one in warning, and a calendar-month one (the usual kind; at the
    /// start of a month its period holds little spend, which is the truth). Its limit is sized from a whole window of
    /// traffic, since the month so far may be minutes old.
    /// </summary>
    private static async Task<int> SeedBudgetsAsync(IServiceProvider services, IReadOnlyList<SpendRow> spendByTenant, string webhook,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var budgets = services.GetRequiredService<BudgetService>();
        var spend = services.GetRequiredService<SpendQuery>();
        string TenantOf(int i) => i < spendByTenant.Count ? spendByTenant[i].Groups["tenant"] : "acme";
        decimal WindowSpendOf(int i) => i < spendByTenant.Count ? spendByTenant[i].CostUsd : 100m;
        var definitions = new (string Id, string Tenant, string Period, decimal? Factor, decimal? Limit)[]
        {
            ($"{TenantOf(0)}-rolling-7d", TenantOf(0), "\"period\":\"rolling\",\"rollingDays\":7", 0.9m, null),
            ($"{TenantOf(1)}-rolling-30d", TenantOf(1), "\"period\":\"rolling\",\"rollingDays\":30", 1.2m, null),
            ($"{TenantOf(2)}-monthly", TenantOf(2), "\"period\":\"month\"", null, Math.Round(WindowSpendOf(2) * 3m, 0)),
        };
        foreach (var (id, tenant, period, factor, fixedLimit) in definitions)
        {
            string Json(decimal limit) => $$"""
                {"id":"{{id}}","scope":{"tenant":"{{tenant}}"},{{period}},"timeZone":"UTC","limitUsd":{{Math.Max(1m, limit).ToString(CultureInfo.InvariantCulture)}},
                 "thresholds":[{"percent":50,"kind":"actual"},{"percent":80,"kind":"actual"},{"percent":100,"kind":"actual"},{"percent":100,"kind":"forecast"}],
                 "channels":{"webhook":"{{webhook}}","webhookSecret":"{{DemoSecret}}"},"enabled":true}
                """;
            var limit = fixedLimit ?? 0m;
            if (factor is { } f)
            {
                var current = BudgetPeriods.Current(budgets.Parse(Json(1m)), now);
                var periodSpend = (await spend.RunAsync(current.Start, now, ["tenant"], tenant, cancellationToken)).Sum(r => r.CostUsd);
                limit = Math.Round(periodSpend * f, 0);
            }
            var budget = budgets.Parse(Json(limit));
            await PutAsync(budgets, budget, cancellationToken);
        }
        return definitions.Length;
    }

    /// <summary>Adds the demo's budget, or on a rerun sets it back to the demo's definition.</summary>
    private static async Task PutAsync(BudgetService budgets, Budget budget, CancellationToken cancellationToken)
    {
        if (await budgets.GetAsync(budget.Id, cancellationToken) is null) await budgets.AddAsync(budget, cancellationToken);
        else await budgets.UpdateAsync(budget, null, cancellationToken);
    }

    /// <summary>The generator's "now": the end of the demo's traffic window.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
