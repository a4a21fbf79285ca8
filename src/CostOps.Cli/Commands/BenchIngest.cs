using System.Buffers;
using System.Diagnostics;
using CostOps.Core.LoadGen;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops bench ingest</c>: the whole ingestion path (parse, validate, deduplicate, price, Native-format write to
/// the configured ClickHouse, embedded or a server, rollups) against ClickHouse itself parsing the same NDJSON into an
/// equivalent table, in one run, on a throwaway database. Prints events/s for both, their ratio, and the peak RSS of each phase (ours runs
/// first; Linux lets the peak be reset between phases) with the managed heap's share of ours.
/// </summary>
public static class BenchIngest
{

    private static readonly CliOption<int> Events = CliOption.Int("events", "N", "events to ingest", min: 1).Default(1_000_000);

    private static readonly CliOption<string> Overlap = CliOption.Choice("overlap",
        "off: prepare each batch, then write it, so each stage's time is its own (no parsing beside the writes)", "on", "off").Default("on");

    public static CliForm Form { get; } = new("ingest", "", "events/s and peak memory, ours against ClickHouse's own insert", [Events, Overlap, CliOption.Json]);

    public static async Task<IReadOnlyDictionary<string, object>> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var events = args.Get(Events);
        var overlap = args.Get(Overlap) == "on";
        var time = context.Services.GetRequiredService<TimeProvider>();
        var catalog = context.Services.GetRequiredService<SqlCatalog>();
        await using var database = await BenchDatabase.CreateAsync(context.Services, "bench_ingest", cancellationToken);
        var clickHouse = database.ClickHouse;
        var file = Path.Combine(Path.GetTempPath(), $"costops-bench-{Guid.NewGuid():N}.ndjson");
        try
        {
            context.Error.WriteLine($"Generating {events:N0} events...");
            var bytes = await GenerateAsync(file, events, time, cancellationToken);

            // Ours first, so its peak RSS is its own (ClickHouse keeps memory it used, so a phase after the baseline would
            // inherit the baseline's); the heap the generator used is collected first. Between the phases the first one's
            // background merges finish, so neither phase runs beside the other's merges.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var peakReset = ProcessMemory.ResetPeak();
            context.Error.WriteLine("CostOps: parse, validate, deduplicate, price, write, roll up...");
            var rollups = new SpendRollups(clickHouse, catalog, time);
            // Measured as the hosts measure (CostOpsTelemetry), so the figures include what telemetry costs on this path.
            var handler = new UsageIngestionHandler(clickHouse, catalog, context.Services.GetRequiredService<IPriceCatalogSource>(), rollups, time,
                telemetry: context.Services.GetRequiredService<CostOps.Infrastructure.Telemetry.CostOpsTelemetry>());
            // The managed heap's share of the peak (the rest is ClickHouse's and the runtime's), sampled while ours runs.
            long managedPeak = 0;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    managedPeak = Math.Max(managedPeak, GC.GetGCMemoryInfo().TotalCommittedBytes);
                    try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
                }
            });
            var ours = Stopwatch.StartNew();
            IngestSummary summary;
            await using (var stream = File.OpenRead(file))
            {
                summary = await IngestPipeline.RunAsync(handler, rollups, PayloadBatches.ReadAsync(stream, IngestPipeline.LinesPerBatch, cancellationToken, IngestPipeline.BytesPerBatch), "bench", null, cancellationToken, overlap);
            }
            ours.Stop();
            var oursPeak = ProcessMemory.PeakMegabytes();
            await sampling.CancelAsync();
            await sampler;
            var waits = ours.Elapsed - handler.Times.Write - handler.Times.DuplicateCheck - handler.Times.PriceAndEncode - handler.Times.Rollups;

            context.Error.WriteLine("Waiting for background merges to finish...");
            var mergeWait = await database.WaitForMergesAsync(TimeSpan.FromMinutes(2), cancellationToken);

            context.Error.WriteLine("Baseline: ClickHouse parsing the NDJSON itself...");
            await clickHouse.ExecuteAsync(catalog.Get(SqlNames.Bench.CreateBaselineTable), cancellationToken: cancellationToken);
            ProcessMemory.ResetPeak();
            var baseline = Stopwatch.StartNew();
            if (clickHouse is EmbeddedClickHouse)
            {
                await clickHouse.ExecuteAsync(catalog.Get(SqlNames.Bench.BaselineInsert), new QueryParameters { { "path", file } }, cancellationToken);
            }
            else
            {
                // A server cannot read this machine's file: the NDJSON goes in the body of one insert, over the same
                // transport ours used, and the server parses it (JSON keys name the columns; the rest are skipped).
                await clickHouse.InsertAsync("baseline_events", "JSONEachRow", await File.ReadAllBytesAsync(file, cancellationToken), cancellationToken: cancellationToken);
            }
            baseline.Stop();
            var baselinePeak = ProcessMemory.PeakMegabytes();

            var stored = long.Parse((await clickHouse.QueryAsync(catalog.Get(SqlNames.Bench.CountEvents), "TSV", cancellationToken: cancellationToken)).Trim());
            var oursRate = events / ours.Elapsed.TotalSeconds;
            var baselineRate = events / baseline.Elapsed.TotalSeconds;
            return new Dictionary<string, object>
            {
                ["benchmark"] = "ingest",
                ["events"] = events,
                ["overlap"] = overlap,
                ["ndjson_mb"] = Math.Round(bytes / 1e6, 1),
                ["accepted"] = summary.Accepted,
                ["rejected"] = summary.Rejected,
                ["rows_stored"] = stored,
                ["seconds"] = Math.Round(ours.Elapsed.TotalSeconds, 3),
                ["events_per_s"] = Math.Round(oursRate),
                ["baseline_seconds"] = Math.Round(baseline.Elapsed.TotalSeconds, 3),
                ["baseline_events_per_s"] = Math.Round(baselineRate),
                ["ratio"] = Math.Round(oursRate / baselineRate, 3),
                ["peak_rss_mb"] = oursPeak,
                ["peak_rss_scope"] = (peakReset ? "process start to the end of the costops phase (runs first)" : "whole process")
                    + (clickHouse is EmbeddedClickHouse ? "" : "; this process only, not the server's"),
                ["managed_heap_peak_mb"] = Math.Round(managedPeak / 1e6),
                ["baseline_peak_rss_mb"] = baselinePeak,
                ["merge_wait_seconds"] = Math.Round(mergeWait.TotalSeconds, 3),
                ["stage_seconds"] = new Dictionary<string, double>
                {
                    ["parse_validate_price_overlapped"] = Math.Round(handler.Times.Parse.TotalSeconds, 3),
                    ["duplicate_check"] = Math.Round(handler.Times.DuplicateCheck.TotalSeconds, 3),
                    ["encode"] = Math.Round(handler.Times.PriceAndEncode.TotalSeconds, 3),
                    ["clickhouse_write"] = Math.Round(handler.Times.Write.TotalSeconds, 3),
                    ["rollups"] = Math.Round(handler.Times.Rollups.TotalSeconds, 3),
                    ["waiting_for_parse"] = Math.Round(waits.TotalSeconds, 3),
                },
            };
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Writes clean, realistic traffic (no bad events, so the baseline insert accepts the same file) in chunks.</summary>
    private static async Task<long> GenerateAsync(string path, int events, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var output = File.Create(path);
        var buffer = new ArrayBufferWriter<byte>(64 << 20);
        for (var done = 0; done < events; done += 100_000)
        {
            buffer.Clear();
            var chunk = Math.Min(100_000, events - done);
            new TrafficGenerator(new TrafficProfile { Events = chunk, Seed = 1_000 + done / 100_000, BadFraction = 0, DuplicateFraction = 0, Tenants = 12 }, time)
                .WriteNdjson(buffer);
            await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
        }
        return output.Length;
    }
}
