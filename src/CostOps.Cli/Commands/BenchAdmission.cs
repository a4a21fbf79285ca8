using System.Diagnostics;
using System.Security.Cryptography;
using System.Net;
using System.Text;
using CostOps.Core.Budgets;
using CostOps.Infrastructure;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.Local;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops bench admission</c>: the admission route as <c>serve</c> maps it, on loopback, with one blocking daily
/// budget for each of N tenants (Azure Tables under a throwaway prefix, dropped afterwards), driven by C concurrent
/// connections for a fixed time after a warm-up that touches every tenant once. Every call is admitted (the limits are
/// far away), so each one costs the full hot path: price, match, one conditional transaction per budget. Reports
/// admissions per second and latency percentiles as the client saw them.
/// </summary>
public static class BenchAdmission
{
    private const double TargetPerSecond = 2000;
    private const double TargetP99Ms = 10;

    private static readonly CliOption<int> Tenants = CliOption.Int("tenants", "N", "tenants, one blocking budget each", min: 1).Default(1000);
    private static readonly CliOption<int> Connections = CliOption.Int("connections", "N", "concurrent connections", min: 1).Default(64);
    private static readonly CliOption<int> Seconds = CliOption.Int("seconds", "N", "how long to measure", 1, 60).Default(10);
    private static readonly CliOption<string> Ledger = CliOption.Choice("ledger", "where reservations live: the admission table, or Redis (Admission:Redis, else a throwaway redis-server)",
        ["tables", "redis"]).Default("tables");

    public static CliForm Form { get; } = new("admission", "", "admissions/s and latency over loopback HTTP", [Tenants, Connections, Seconds, Ledger, CliOption.Json]);

    public static async Task<IReadOnlyDictionary<string, object>> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var tenants = args.Get(Tenants);
        var connections = args.Get(Connections);
        var seconds = args.Get(Seconds);
        var ledger = args.Get(Ledger);

        // The Redis ledger on the configured server, else on one of our own (deps/redis.sh installs Debian's redis-server).
        var settings = new Dictionary<string, string?>();
        await using var redis = ledger == "redis" && string.IsNullOrEmpty(context.Services.GetRequiredService<IConfiguration>()["Admission:Redis"]) ? await RedisRunner.StartAsync(cancellationToken) : null;
        if (redis is not null) settings["Admission:Redis"] = redis.Configuration;

        // The real serve host (route table, key check, every service) on a throwaway database and table prefix.
        await using var host = BenchServeHost.Create("admission", settings);
        var (app, apiKey) = (host.App, host.ApiKey);
        await app.StartAsync(cancellationToken);
        await ((TableBudgetStore)app.Services.GetRequiredService<IBudgetStore>()).ImportAsync(Enumerable.Range(0, tenants).Select(i => new Budget
        {
            Id = $"bench-t{i}", Scope = new BudgetScope($"t{i}"), Period = PeriodKind.Daily, LimitUsd = 1_000_000m, Action = BudgetAction.Block,
        }), cancellationToken);

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
        {
            BaseAddress = new Uri(app.Urls.First()),
        };
        client.DefaultRequestHeaders.Add(ApiAuthenticator.KeyHeader, apiKey);
        var sequence = 0L;
        async Task<(long Ticks, HttpStatusCode Status)> AdmitOneAsync(int tenant)
        {
            var id = Interlocked.Increment(ref sequence);
            var body = $$"""{"request_id":"bench-{{id}}","tenant":"t{{tenant}}","provider":"openai","model":"gpt-4o","input_tokens":1000,"max_output_tokens":500}""";
            var start = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync("/api/admission", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return (Stopwatch.GetTimestamp() - start, response.StatusCode);
        }

        // Warm-up: every tenant once (budgets, baselines and counters read into memory), at the same concurrency.
        await Parallel.ForEachAsync(Enumerable.Range(0, tenants), new ParallelOptions { MaxDegreeOfParallelism = connections, CancellationToken = cancellationToken },
            async (t, _) => await AdmitOneAsync(t));

        var latencies = new List<long>[connections];
        var failures = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var run = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<long>(1 << 14);
            var random = new Random(worker);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var (ticks, status) = await AdmitOneAsync(random.Next(tenants));
                mine.Add(ticks);
                if (status != HttpStatusCode.OK) Interlocked.Increment(ref failures);
            }
        }, cancellationToken)));
        var elapsed = run.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Ms(double quantile) => all[Math.Min(all.Length - 1, (int)(quantile * all.Length))] * 1000.0 / Stopwatch.Frequency;
        var perSecond = all.Length / elapsed;
        return new Dictionary<string, object>
        {
            ["benchmark"] = "admission",
            ["tenants"] = tenants,
            ["blocking_budgets"] = tenants,
            ["connections"] = connections,
            ["ledger"] = ledger,
            ["seconds"] = Math.Round(elapsed, 2),
            ["admissions"] = all.Length,
            ["not_admitted"] = failures,
            ["admissions_per_second"] = Math.Round(perSecond, 0),
            ["p50_ms"] = Math.Round(Ms(0.50), 2),
            ["p99_ms"] = Math.Round(Ms(0.99), 2),
            ["p999_ms"] = Math.Round(Ms(0.999), 2),
            ["max_ms"] = Math.Round(Ms(1.0), 2),
            ["target_per_second"] = TargetPerSecond,
            ["target_p99_ms"] = TargetP99Ms,
            ["target_met"] = failures == 0 && perSecond >= TargetPerSecond && Ms(0.99) <= TargetP99Ms,
        };
    }
}
