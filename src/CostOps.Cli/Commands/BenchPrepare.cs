using System.Buffers;
using System.Diagnostics;
using CostOps.Core.LoadGen;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops bench prepare</c>: the CPU half of bulk ingestion alone (<see cref="UsageIngestionHandler.Prepare"/>:
/// parse, validate, price and encode the insert block) on one thread, no ClickHouse write, over the same generated
/// traffic and batch size as <c>bench ingest</c>. <c>bench ingest</c> runs this work beside ClickHouse's inserts and
/// merges on the same cores, so its parse figure is wall time under contention; this one is the cost itself, the
/// figure the "<= 2 us per event" is about. A first round warms the JIT and is not counted.
/// </summary>
public static class BenchPrepare
{
    private static readonly CliOption<int> Events = CliOption.Int("events", "N", "events per round", min: 1).Default(200_000);
    private static readonly CliOption<int> Rounds = CliOption.Int("rounds", "N", "measured rounds (after one warm-up round)", min: 1).Default(3);

    public static CliForm Form { get; } = new("prepare", "", "parse, validate, price and encode alone: us and bytes allocated per event", [Events, Rounds, CliOption.Json]);

    public static async Task<IReadOnlyDictionary<string, object>> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var events = args.Get(Events);
        var rounds = args.Get(Rounds);
        var time = context.Services.GetRequiredService<TimeProvider>();
        var catalog = context.Services.GetRequiredService<SqlCatalog>();
        // Prepare does no I/O; the handler still wants its ClickHouse, so it gets a throwaway database it never writes.
        await using var database = await BenchDatabase.CreateAsync(context.Services, "bench_prepare", cancellationToken);
        var handler = new UsageIngestionHandler(database.ClickHouse, catalog, context.Services.GetRequiredService<IPriceCatalogSource>(),
            new SpendRollups(database.ClickHouse, catalog, time), time);

        var payloads = Generate(events, time);
        var bytes = payloads.Sum(p => (long)p.Length);
        var perRound = new List<double>();
        var encodeShare = new List<double>();
        long allocated = 0;
        long allocatedEncoding = 0;
        long accepted = 0;
        var collections = new int[3];
        for (var round = 0; round <= rounds; round++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var collectionsBefore = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
            var prepared = 0L;
            var parse = TimeSpan.Zero;
            var encode = TimeSpan.Zero;
            foreach (var payload in payloads)
            {
                // What Prepare(encodeForSource) does, timed in its two parts: parse, validate and price; then encode.
                var start = Stopwatch.GetTimestamp();
                var batch = handler.Prepare([payload]);
                var parsed = Stopwatch.GetTimestamp();
                var allocatedParsed = GC.GetAllocatedBytesForCurrentThread();
                batch.Encode("bench", time.GetUtcNow());
                if (round > 0) allocatedEncoding += GC.GetAllocatedBytesForCurrentThread() - allocatedParsed;
                parse += Stopwatch.GetElapsedTime(start, parsed);
                encode += Stopwatch.GetElapsedTime(parsed);
                prepared += batch.Events.Count;
            }
            if (round == 0) continue;
            perRound.Add((parse + encode).TotalMicroseconds / events);
            encodeShare.Add(encode / (parse + encode));
            allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            for (var g = 0; g < 3; g++) collections[g] += GC.CollectionCount(g) - collectionsBefore[g];
            accepted = prepared;
        }
        perRound.Sort();
        // The floor under any parser built on System.Text.Json: every token of the same payloads read and dropped.
        var tokens = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var payload in payloads)
            {
                var reader = new System.Text.Json.Utf8JsonReader(payload, new System.Text.Json.JsonReaderOptions { AllowMultipleValues = true });
                while (reader.Read())
                {
                }
            }
        }
        tokens.Stop();
        return new Dictionary<string, object>
        {
            ["benchmark"] = "prepare",
            ["events"] = events,
            ["events_prepared"] = accepted,
            ["bytes_per_event"] = Math.Round((double)bytes / events),
            ["lines_per_batch"] = IngestPipeline.LinesPerBatch,
            ["rounds"] = rounds,
            ["us_per_event_median"] = Math.Round(perRound[perRound.Count / 2], 2),
            ["us_per_event_min"] = Math.Round(perRound[0], 2),
            ["encode_share_median"] = Math.Round(encodeShare.Order().ElementAt(encodeShare.Count / 2), 2),
            ["json_tokens_only_us_per_event"] = Math.Round(tokens.Elapsed.TotalMicroseconds / rounds / events, 2),
            ["events_per_s_one_core"] = Math.Round(1e6 / perRound[perRound.Count / 2]),
            ["allocated_bytes_per_event"] = Math.Round((double)allocated / rounds / events),
            ["allocated_bytes_per_event_encoding"] = Math.Round((double)allocatedEncoding / rounds / events),
            ["gc_per_round"] = new Dictionary<string, double>
            {
                ["gen0"] = Math.Round((double)collections[0] / rounds, 1),
                ["gen1"] = Math.Round((double)collections[1] / rounds, 1),
                ["gen2"] = Math.Round((double)collections[2] / rounds, 1),
            },
            ["target_us_per_event"] = 2,
        };
    }

    /// <summary>The traffic <c>bench ingest</c> writes, cut into its bulk batches, held in memory.</summary>
    private static List<byte[]> Generate(int events, TimeProvider time)
    {
        var buffer = new ArrayBufferWriter<byte>(64 << 20);
        new TrafficGenerator(new TrafficProfile { Events = events, Seed = 1_000, BadFraction = 0, DuplicateFraction = 0, Tenants = 12 }, time).WriteNdjson(buffer);
        var payloads = new List<byte[]>();
        var rest = buffer.WrittenSpan;
        while (!rest.IsEmpty)
        {
            // Cut after every LinesPerBatch-th line end, as PayloadBatches does for a file.
            var end = 0;
            for (var lines = 0; lines < IngestPipeline.LinesPerBatch && end < rest.Length; lines++)
            {
                var next = rest[end..].IndexOf((byte)'\n');
                end = next < 0 ? rest.Length : end + next + 1;
            }
            payloads.Add(rest[..end].ToArray());
            rest = rest[end..];
        }
        return payloads;
    }
}
