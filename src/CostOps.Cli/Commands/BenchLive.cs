using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops bench live</c>: the live ingestion path as a gateway drives it. Starts the host <c>serve</c> runs (every
/// route and schedule) in this process on a loopback port, on a throwaway ClickHouse database and table prefix, and
/// posts one event per request over real HTTP with keep-alive connections, at each connection level in turn, for a
/// fixed time. Reports requests/s and latency percentiles as the client saw them, the errors, and whether what is
/// stored (events after deduplication, hourly and daily rollups) equals what the server acknowledged.
/// </summary>
public static class BenchLive
{
    private static readonly int[] Levels = [1, 8, 64, 256];
    private const int TargetConnections = 64;
    private const double TargetPerSecond = 5000;
    private const double TargetP99Ms = 250;

    /// <summary>Tenants per level: events spread over a few slices, as a gateway's traffic does.</summary>
    private const int TenantsPerLevel = 16;

    private static readonly CliOption<int?> Connections = CliOption.Int("connections", "N", "one connection level (default: 1, 8, 64 and 256 in turn)", 1, 1024);
    private static readonly CliOption<int> Seconds = CliOption.Int("seconds", "N", "how long to measure each level", 1, 60).Default(10);
    private static readonly CliOption<int> WarmUp = CliOption.Int("warmup", "N", "seconds of traffic before the first level, not counted", 1, 120).Default(15);
    private static readonly CliOption<string> Acknowledge = CliOption.Choice("acknowledge",
        "when a request is answered: once stored in ClickHouse (200), or once in the durable log (202; Ingestion:Acknowledge=Logged)", ["stored", "logged"]).Default("stored");

    private static readonly CliOption<int> StoredIds = CliOption.Int("stored-ids", "N",
        "ids already stored before the first level, as after weeks of traffic (the duplicate check reads them)", 0, 100_000_000).Default(0);

    public static CliForm Form { get; } = new("live", "", "requests/s and latency of live ingestion over loopback HTTP", [Connections, Seconds, WarmUp, Acknowledge, StoredIds, CliOption.Json]);

    public static async Task<IReadOnlyDictionary<string, object>> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        var seconds = args.Get(Seconds);
        int[] levels = args.Get(Connections) is { } only ? [only] : Levels;
        var logged = args.Get(Acknowledge) == "logged";
        var logDirectory = Path.Combine(Path.GetTempPath(), $"costops-bench-log-{Guid.NewGuid():N}");
        try
        {
            return await RunAsync(levels, seconds, args.Get(WarmUp), logged, args.Get(StoredIds), logDirectory, cancellationToken);
        }
        finally
        {
            if (Directory.Exists(logDirectory)) Directory.Delete(logDirectory, recursive: true);
        }
    }

    private static async Task<IReadOnlyDictionary<string, object>> RunAsync(int[] levels, int seconds, int warmUpSeconds, bool logged, int storedIds,
        string logDirectory, CancellationToken cancellationToken)
    {
        // Both set either way, so the option decides, not an Ingestion__Acknowledge in the environment.
        await using var host = BenchServeHost.Create("live", new Dictionary<string, string?>
        {
            ["Ingestion:Acknowledge"] = logged ? "Logged" : "Stored",
            ["Ingestion:LogDirectory"] = logDirectory,
        });
        var (app, apiKey) = (host.App, host.ApiKey);
        await app.StartAsync(cancellationToken);
        var clickHouse = app.Services.GetRequiredService<IClickHouse>();
        var catalog = app.Services.GetRequiredService<SqlCatalog>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        var handler = app.Services.GetRequiredService<UsageIngestionHandler>();
        var rollups = app.Services.GetRequiredService<SpendRollups>();
        var log = app.Services.GetRequiredService<LoggedIngestion>().Log;
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = levels.Max(), UseProxy = false })
        {
            BaseAddress = new Uri(app.Urls.First()),
            Timeout = TimeSpan.FromMinutes(2),
        };
        client.DefaultRequestHeaders.Add("x-api-key", apiKey);
        var seeding = Stopwatch.StartNew();
        if (storedIds > 0)
        {
            await clickHouse.ExecuteAsync(catalog.Get(SqlNames.Bench.SeedEventIds), new QueryParameters
            {
                { "count", (ulong)storedIds }, { "tenants", (uint)TenantsPerLevel }, { "prefixes", levels.Select(LevelPrefix).Append(WarmUpPrefix).ToArray() },
            }, cancellationToken);
            // Measured on the settled table a service would have, not beside the merges of the seed's parts.
            await BenchDatabase.WaitForMergesAsync(clickHouse, catalog, TimeSpan.FromMinutes(5), cancellationToken);
        }
        var seedSeconds = seeding.Elapsed.TotalSeconds;
        var idsBefore = long.Parse((await clickHouse.QueryAsync(catalog.Get(SqlNames.Ingest.CountStoredIds), "TSV", cancellationToken: cancellationToken)).Trim(),
            CultureInfo.InvariantCulture);
        // Warm-up, not counted: the first requests load prices, and the path is compiled, then recompiled with profile
        // data (tiered compilation promotes a method after 30 calls, in the background; a commit runs a few times a
        // second, so the commit path takes seconds of traffic). Measured, Logged, 64 connections alone, 10 s: after 1 s at
        // 4 connections 4,318-6,205 requests/s; after 5 s at 64, 5,947-6,627; after 15 s, 8,350; after the 1 and 8
        // levels (20 s), 9,282-10,661.
        await DriveAsync(client, WarmUpPrefix, Math.Min(levels.Max(), TargetConnections), warmUpSeconds, time, cancellationToken);
        var results = new List<Dictionary<string, object>>();
        foreach (var connections in levels)
        {
            var prefix = LevelPrefix(connections);
            var (commitsBefore, timesBefore) = (handler.Commits.CommitCount, Snapshot(handler.Times));
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var level = await DriveAsync(client, prefix, connections, seconds, time, cancellationToken);
            // The whole process: load generator, HTTP on both ends, ingestion and the embedded engine. Near the
            // machine's cores times the seconds, the level is CPU-bound, and no waiting saved will raise its rate.
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            level["process_cpu_seconds"] = Math.Round(cpu, 2);
            level["cpu_ms_per_request"] = (long)level["requests"] > 0 ? Math.Round(cpu * 1000 / (long)level["requests"], 3) : 0;
            level["commits"] = handler.Commits.CommitCount - commitsBefore;
            level["writer_seconds"] = Snapshot(handler.Times).Zip(timesBefore).ToDictionary(p => p.First.Key, p => Math.Round(p.First.Value - p.Second.Value, 3));
            if (log is not null)
            {
                // Logged: answered events reach ClickHouse within Ingestion:LogCommitIntervalMilliseconds; wait for the rest.
                level["log_uncommitted_events_at_end"] = log.UncommittedEvents;
                var drain = Stopwatch.StartNew();
                await log.DrainAsync(cancellationToken);
                level["log_drain_ms"] = Math.Round(drain.Elapsed.TotalMilliseconds, 1);
            }
            // What a spend read does first: live rollups lag acknowledged events by up to Ingestion:RollupIntervalMilliseconds.
            level["rollup_lag_ms_at_end"] = Math.Round(rollups.PendingAge?.TotalMilliseconds ?? 0, 1);
            var catchUp = Stopwatch.StartNew();
            await rollups.RefreshPendingAsync(cancellationToken);
            level["rollup_catch_up_ms"] = Math.Round(catchUp.Elapsed.TotalMilliseconds, 1);
            var counts = (await clickHouse.QueryAsync(catalog.Get(SqlNames.Bench.LiveCounts), "TSV",
                new QueryParameters { { "prefix", prefix } }, cancellationToken)).Trim().Split('\t').Select(long.Parse).ToArray();
            level["stored_events"] = counts[0];
            level["rollup_requests_hourly"] = counts[1];
            level["rollup_requests_daily"] = counts[2];
            // The embedded engine's stored-id filter: until it is loaded every commit looks up all of its events.
            if (StoredIdFilter.For(clickHouse, catalog) is { } filter)
            {
                level["stored_id_filter_ready"] = filter.IsReady;
                level["stored_id_filter_load_seconds"] = filter.LoadTime is { } load ? Math.Round(load.TotalSeconds, 1) : -1;
            }
            var acknowledged = (long)level["acknowledged"];
            level["exact"] = counts.All(c => c == acknowledged);
            results.Add(level);
        }
        var atTarget = results.FirstOrDefault(r => (int)r["connections"] == TargetConnections);
        return new Dictionary<string, object>
        {
            ["benchmark"] = "live",
            ["route"] = "POST /api/usage, one event per request",
            ["acknowledge"] = logged ? "logged (202 once in the durable log)" : "stored (200 once in ClickHouse)",
            ["seconds_per_level"] = seconds,
            ["warmup_seconds"] = warmUpSeconds,
            ["stored_ids_before"] = idsBefore,
            ["seed_seconds"] = Math.Round(seedSeconds, 1),
            ["cpu_cores"] = Environment.ProcessorCount,
            ["levels"] = results,
            ["target"] = $"at least {TargetPerSecond:N0} requests/s at {TargetConnections} connections, p99 at most {TargetP99Ms} ms, no errors, exact totals",
            ["target_met"] = atTarget is not null && (double)atTarget["requests_per_second"] >= TargetPerSecond
                && (double)atTarget["p99_ms"] <= TargetP99Ms && (long)atTarget["errors"] == 0 && (bool)atTarget["exact"],
        };
    }

    private const string WarmUpPrefix = "live-warm-";

    private static string LevelPrefix(int connections) => $"live-c{connections}-";

    /// <summary>
    /// <paramref name="connections"/> workers, each posting one event at a time until the deadline (a request under
    /// way then is finished and counted). Each level writes its own tenants (<paramref name="tenantPrefix"/>, then <c>tK</c>),
    /// so its totals are its own.
    /// </summary>
    private static async Task<Dictionary<string, object>> DriveAsync(HttpClient client, string tenantPrefix, int connections, int seconds, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var sequence = 0L;
        var acknowledged = 0L;
        var errors = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        async Task<long> PostOneAsync()
        {
            var id = Interlocked.Increment(ref sequence);
            var timestamp = time.GetUtcNow().AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            // Ids spread over the key space as a producer's random ids are (id times an odd constant is one-to-one), not
            // in sequence: sequential ids of one commit fall in a few granules of usage_event_ids, random ones in as many
            // granules as there are ids, which is what the duplicate check costs against a grown table.
            var body = $$"""{"event_id":"{{tenantPrefix}}{{unchecked((ulong)id * 0x9E3779B97F4A7C15UL):x16}}","timestamp":"{{timestamp}}","tenant":"{{tenantPrefix}}t{{id % TenantsPerLevel}}","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}""";
            var start = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.PostAsync("/api/usage", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
                var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted && answer.Contains("\"accepted\":1,", StringComparison.Ordinal)) Interlocked.Increment(ref acknowledged);
                else errors.AddOrUpdate(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                errors.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
            }
            return Stopwatch.GetTimestamp() - start;
        }

        var latencies = new List<long>[connections];
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<long>(1 << 12);
            while (Stopwatch.GetTimestamp() < deadline) mine.Add(await PostOneAsync());
        }, cancellationToken)));
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Ms(double quantile) => all.Length == 0 ? 0 : Math.Round(all[Math.Min(all.Length - 1, (int)(quantile * all.Length))] * 1000.0 / Stopwatch.Frequency, 1);
        return new Dictionary<string, object>
        {
            ["connections"] = connections,
            ["seconds"] = Math.Round(elapsed, 2),
            ["requests"] = (long)all.Length,
            ["acknowledged"] = acknowledged,
            ["errors"] = (long)errors.Values.Sum(),
            ["error_kinds"] = new SortedDictionary<string, int>(errors),
            ["requests_per_second"] = Math.Round(all.Length / elapsed, 1),
            ["p50_ms"] = Ms(0.50),
            ["p95_ms"] = Ms(0.95),
            ["p99_ms"] = Ms(0.99),
            ["max_ms"] = Ms(1.0),
        };
    }

    /// <summary>The writer's cumulative time per stage, to tell where a commit's time goes.</summary>
    private static Dictionary<string, double> Snapshot(IngestStageTimes times)
    {
        lock (times)
        {
            return new Dictionary<string, double>
            {
                ["duplicate_check"] = times.DuplicateCheck.TotalSeconds,
                ["write"] = times.Write.TotalSeconds,
                ["rollups"] = times.Rollups.TotalSeconds,
            };
        }
    }
}
