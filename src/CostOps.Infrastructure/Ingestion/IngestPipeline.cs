namespace CostOps.Infrastructure.Ingestion;

/// <summary>
/// Bulk ingestion (files, benchmarks, the demo): prepares batch k+1 on another core while ClickHouse writes batch k,
/// then refreshes the touched rollup slices once at the end (<c>overlap: false</c>, for <c>bench ingest --overlap off</c>:
/// one half at a time, so each stage's time is its own). Memory holds at most two batches (<see cref="LinesPerBatch"/>).
/// </summary>
public static class IngestPipeline
{
    /// <summary>
    /// NDJSON lines per bulk batch. Batches were 100k lines while inserts went in RowBinary (then 50k-line batches spent
    /// 46 s in inserts against 25 s). With Native inserts the batch size no longer sets the speed: bench ingest on 1M
    /// events (2026-12-02, alternately) ran at 34,875 and 35,246 events/s with 100k lines and 613-720 MB of managed heap,
    /// 34,082 and 29,766 with 20k and 170-183 MB (peak RSS 1,264-1,347 MB against 942-965 MB, ClickHouse's own insert of
    /// the same file 1.3-1.7 GB): docs/ingestion.md. Two batches are in flight (one prepared while the other is written),
    /// so the heap is bounded by this and <see cref="BytesPerBatch"/>, whatever the file's size.
    /// </summary>
    public const int LinesPerBatch = 20_000;

    /// <summary>A batch also ends (at a line end) once it holds this many bytes: events that carry their prompt's text are
    /// larger than the 370 bytes of a typical event, and memory should follow the bytes, not the line count.</summary>
    public const int BytesPerBatch = 8 << 20;

    public static async Task<IngestSummary> RunAsync(
        UsageIngestionHandler handler, SpendRollups rollups, IAsyncEnumerable<ReadOnlyMemory<byte>> payloads, string source,
        Action<IngestSummary>? progress, CancellationToken cancellationToken, bool overlap = true)
    {
        var telemetry = handler.Telemetry;
        // One span for the load, a child per batch written and one for the rollup refresh at the end.
        using var load = telemetry?.StartActivity("costops.ingestion.bulk");
        var total = new IngestSummary();
        Task<PreparedBatch>? preparing = null;
        await foreach (var payload in payloads.WithCancellation(cancellationToken))
        {
            var next = Task.Run(() => handler.Prepare([payload], encodeForSource: source), cancellationToken);
            // Without overlap (a benchmark's view of each half's own cost), each batch is written before the next is prepared.
            if (!overlap) await next;
            if (preparing is not null) await WriteAsync(await preparing);
            preparing = next;
        }
        if (preparing is not null) await WriteAsync(await preparing);
        var refresh = System.Diagnostics.Stopwatch.StartNew();
        using (telemetry?.StartActivity("costops.ingestion.rollups"))
        {
            await rollups.RefreshPendingAsync(cancellationToken);
        }
        lock (handler.Times) handler.Times.Rollups += refresh.Elapsed;
        load?.SetTag("costops.ingestion.accepted", total.Accepted);
        load?.SetTag("costops.ingestion.duplicates", total.Duplicates);
        load?.SetTag("costops.ingestion.rejected", total.Rejected);
        return total;

        async Task WriteAsync(PreparedBatch batch)
        {
            using var commit = telemetry?.StartCommit(Telemetry.IngestionMode.Bulk, callers: 1);
            var summary = await handler.WriteIsolatingAsync(batch, source, deferRollups: true, cancellationToken);
            telemetry?.Committed(commit, summary, Telemetry.IngestionMode.Bulk);
            total.Add(summary);
            progress?.Invoke(total);
        }
    }
}
