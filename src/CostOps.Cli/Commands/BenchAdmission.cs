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
/// budget for each of N tenants (Azure Tables under a throwaway prefix, dropped afterwards; the ledger in the admission
/// table or in Redis, <c>--ledger</c>), driven by C concurrent connections for a fixed time after a warm-up that touches
/// every tenant once and runs the hot path for a few seconds. Every call is admitted (the limits are far away), so each
/// one costs the full hot path: price, match, one conditional write per budget. Reports admissions per second and
/// latency percentiles as the client saw them, paced at the target rate and in a closed loop (docs/development.md).
/// </summary>
public static class BenchAdmission
{
    private const double TargetPerSecond = 2000;
    private const double TargetP99Ms = 10;
    private const int WarmUpSeconds = 3;

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
        async Task<HttpStatusCode> AdmitOneAsync(int tenant)
        {
            var id = Interlocked.Increment(ref sequence);
            var body = $$"""{"request_id":"bench-{{id}}","tenant":"t{{tenant}}","provider":"openai","model":"gpt-4o","input_tokens":1000,"max_output_tokens":500}""";
            using var response = await client.PostAsync("/api/admission", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return response.StatusCode;
        }

        // Warm-up: every tenant once (budgets, baselines and counters read into memory), at the same concurrency; then a
        // few seconds of the closed loop, so the hot path is compiled at its final tier before anything is timed.
        await Parallel.ForEachAsync(Enumerable.Range(0, tenants), new ParallelOptions { MaxDegreeOfParallelism = connections, CancellationToken = cancellationToken },
            async (t, _) => await AdmitOneAsync(t));
        await MeasureAsync(connections, WarmUpSeconds, tenants, perSecond: null, AdmitOneAsync);

        // Paced: the target rate, spread evenly over the connections, each call timed from when it was due (so a
        // stall counts against every call it delayed, as wrk2 times them). With every connection always waiting, as in
        // the closed loop, p99 can be no lower than connections / rate: 64 / 2,000 per s = 32 ms; what the target's
        // latency can mean is the latency at the target rate. It runs first: the bench never settles, and the closed
        // loop leaves several times the paced phase's unsettled reservations in the ledger, a store production does
        // not hold (settlement deletes them); on Redis they would make its log rewrites, and their stalls, larger.
        var paced = await MeasureAsync(connections, seconds, tenants, TargetPerSecond, AdmitOneAsync);
        // Closed loop: each connection sends its next call as soon as the last is answered; the most this host admits.
        var closed = await MeasureAsync(connections, seconds, tenants, perSecond: null, AdmitOneAsync);
        return new Dictionary<string, object>
        {
            ["benchmark"] = "admission",
            ["tenants"] = tenants,
            ["blocking_budgets"] = tenants,
            ["connections"] = connections,
            ["ledger"] = ledger,
            ["closed_loop"] = closed.Figures(),
            [$"at_{TargetPerSecond:0}_per_second"] = paced.Figures(),
            ["target_per_second"] = TargetPerSecond,
            ["target_p99_ms"] = TargetP99Ms,
            ["target_met"] = closed.Failures == 0 && paced.Failures == 0 && closed.PerSecond >= TargetPerSecond
                && paced.PerSecond >= TargetPerSecond * 0.99 && paced.Ms(0.99) <= TargetP99Ms,
        };
    }

    private static long[] Sorted(List<long>[] perWorker)
    {
        var all = perWorker.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return all;
    }

    /// <param name="GcPause">The runtime's stop-the-world GC time during the run (client and host share the process).</param>
    /// <param name="Lags">Paced only: how late each call left the client after it was due (the load generator's share of the latency).</param>
    private sealed record Run(long[] Ticks, long[] Lags, int Failures, double Seconds, TimeSpan GcPause, int[] Collections, long AllocatedBytes)
    {
        public double PerSecond => Ticks.Length / Seconds;

        public double Ms(double quantile) => QuantileMs(Ticks, quantile);

        /// <summary>The <paramref name="quantile"/> of sorted stopwatch ticks, in milliseconds (0 when there are none).</summary>
        private static double QuantileMs(long[] sorted, double quantile) =>
            sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))] * 1000.0 / Stopwatch.Frequency;

        public Dictionary<string, object> Figures() => new()
        {
            ["seconds"] = Math.Round(Seconds, 2),
            ["admissions"] = Ticks.Length,
            ["not_admitted"] = Failures,
            ["admissions_per_second"] = Math.Round(PerSecond, 0),
            ["p50_ms"] = Math.Round(Ms(0.50), 2),
            ["p99_ms"] = Math.Round(Ms(0.99), 2),
            ["p999_ms"] = Math.Round(Ms(0.999), 2),
            ["max_ms"] = Math.Round(Ms(1.0), 2),
            ["client_send_lag_p99_ms"] = Math.Round(QuantileMs(Lags, 0.99), 2),
            ["gc_pause_ms"] = Math.Round(GcPause.TotalMilliseconds, 1),
            ["allocated_kb_per_admission"] = Math.Round(AllocatedBytes / 1024.0 / Math.Max(1, Ticks.Length), 1),
            ["gc_collections_gen0_1_2"] = Collections,
        };
    }

    /// <summary>
    /// <paramref name="connections"/> workers for <paramref name="seconds"/>, each call to a random tenant: back to back
    /// when <paramref name="perSecond"/> is null, else worker w's k-th call is due at (k x connections + w) / rate and
    /// timed from then.
    /// </summary>
    private static async Task<Run> MeasureAsync(int connections, int seconds, int tenants, double? perSecond, Func<int, Task<HttpStatusCode>> admit)
    {
        var latencies = new List<long>[connections];
        var lags = new List<long>[connections];
        var failures = 0;
        // The garbage of what ran before (the warm-up, the last phase's sorted latency arrays: large objects) is collected
        // now, not by a gen 2 collection in the middle of this phase.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var pausedBefore = GC.GetTotalPauseDuration();
        int[] CollectionCounts() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var collectedBefore = CollectionCounts();
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var begin = Stopwatch.GetTimestamp();
        var deadline = begin + (long)(seconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            // Small to start with: 64 arrays of 16k longs would be large objects, whose allocation triggers gen 2 collections mid-run.
            var mine = latencies[worker] = new List<long>(1024);
            var late = lags[worker] = new List<long>(perSecond is null ? 0 : 1024);
            var random = new Random(worker);
            for (long k = 0; ; k++)
            {
                var due = perSecond is { } rate ? begin + (long)((k * connections + worker) * Stopwatch.Frequency / rate) : Stopwatch.GetTimestamp();
                // A worker behind its schedule stops at the deadline too: the rate it reached is then below the one asked.
                if (due >= deadline || Stopwatch.GetTimestamp() >= deadline) break;
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                if (perSecond is not null) late.Add(Stopwatch.GetTimestamp() - due);
                var status = await admit(random.Next(tenants));
                mine.Add(Stopwatch.GetTimestamp() - due);
                if (status != HttpStatusCode.OK) Interlocked.Increment(ref failures);
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(begin).TotalSeconds;
        return new Run(Sorted(latencies), Sorted(lags), failures, elapsed, GC.GetTotalPauseDuration() - pausedBefore,
            [.. CollectionCounts().Zip(collectedBefore, (after, before) => after - before)], GC.GetTotalAllocatedBytes() - allocatedBefore);
    }
}
