using System.Diagnostics;
using CostOps.Core.Access;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Local;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>How a live request is acknowledged (<see cref="IngestionOptions.Acknowledge"/>).</summary>
public enum IngestionAcknowledge
{
    /// <summary>200 once the events are in ClickHouse, with each event's exact verdict (accepted or duplicate).</summary>
    Stored,

    /// <summary>
    /// 202 once the request is in the host's durable log (<see cref="IngestionLog"/>); committed to ClickHouse within
    /// <see cref="IngestionOptions.LogCommitIntervalMilliseconds"/>. Rejects and repeats within the request are told
    /// at once; a copy of an event stored earlier is answered "accepted" and dropped (as a duplicate) when committed.
    /// </summary>
    Logged,
}

/// <summary>
/// <c>Ingestion:Acknowledge=Logged</c>: a request is prepared (parsed, validated, priced) as it arrives, answered once
/// its body is in the durable log, and committed to ClickHouse later, many requests in one commit
/// (<see cref="CommitUncommittedAsync"/>, run by <see cref="IngestionLogCommitter"/>). The commit prepares each body
/// again as of its receipt (same accept window, same tenants) and writes it through the same group commit as every
/// live path, so exactly-once holds as there: a record committed twice (a crash before the checkpoint moved) finds its
/// ids stored and counts nothing twice, and, done again under the intent it was begun with
/// (<see cref="IngestionLog.BeginCommit"/>), records its rejects and duplicates once. What changes is what an answer means: durable on this host's disk, not yet
/// in ClickHouse; spend reads lag by up to the commit interval.
/// </summary>
public sealed class LoggedIngestion : IDisposable
{
    private readonly UsageIngestionHandler _handler;
    private readonly IngestionOptions _options;
    private readonly TimeProvider _time;

    public LoggedIngestion(UsageIngestionHandler handler, IOptions<IngestionOptions> options, IOptions<LocalOptions> local, IOptions<ClickHouseOptions> clickHouse,
        TimeProvider time, Telemetry.CostOpsTelemetry? telemetry = null)
    {
        _handler = handler;
        _options = options.Value;
        _time = time;
        // One log per database: records are committed to the database they were answered for.
        Log = Enabled
            ? new IngestionLog(_options.LogDirectory ?? Path.Combine(LocalPaths.StateDirectory(local.Value.StateDirectory), "ingest-log", clickHouse.Value.Database))
            : null;
        if (Log is { } log) telemetry?.ObserveLog(() => log.UncommittedEvents);
    }

    public bool Enabled => _options.Acknowledge == IngestionAcknowledge.Logged;

    /// <summary>The log, when <see cref="Enabled"/>.</summary>
    public IngestionLog? Log { get; }

    /// <summary>Prepares <paramref name="body"/>, appends it to the log and answers its events' verdicts as far as they are known without ClickHouse.</summary>
    /// <exception cref="IngestionBusyException">
    /// The log holds <see cref="IngestionOptions.MaxLoggedEvents"/> uncommitted events (or <see cref="IngestionOptions.MaxLoggedBytes"/>); nothing was kept.
    /// </exception>
    /// <exception cref="IOException">The log could not be written (disk full, say); nothing was kept.</exception>
    public async Task<IngestSummary> HandleAsync(ReadOnlyMemory<byte> body, string source, TenantScope? tenants, CancellationToken cancellationToken)
    {
        var log = Log ?? throw new InvalidOperationException("Ingestion:Acknowledge is not Logged.");
        var receivedAt = _time.GetUtcNow();
        var scoped = tenants is null || tenants.IsAll ? null : tenants;
        var prepared = _handler.Prepare([body], maxEventsPerPayload: _options.MaxEventsPerRequest, tenantAllowed: scoped is null ? null : scoped.Allows,
            validatedAt: receivedAt);
        var size = Math.Max(1, prepared.Events.Count + prepared.Rejects.Count);
        if (!HasRoom(size, body.Length)) throw new IngestionBusyException((int)Math.Min(log.UncommittedEvents, int.MaxValue));
        // Not cancelled by the caller once handed over: the record may be written anyway, and its retry is then a duplicate.
        await log.AppendAsync(new LoggedRequest(receivedAt, source, scoped?.Tenants, body, size)).WaitAsync(cancellationToken);
        return Verdicts(prepared);
    }

    /// <summary>
    /// Whether the log takes a request of <paramref name="events"/> events and <paramref name="bytes"/> bytes within
    /// <see cref="IngestionOptions.MaxLoggedEvents"/> and <see cref="IngestionOptions.MaxLoggedBytes"/> (an empty log
    /// takes any one request, so a single large one is never refused for ever).
    /// </summary>
    public bool HasRoom(int events, long bytes)
    {
        if (Log is not { } log || log.UncommittedEvents == 0) return true;
        return log.UncommittedEvents + events <= _options.MaxLoggedEvents && log.UncommittedBytes + bytes <= _options.MaxLoggedBytes;
    }

    /// <summary>The log refuses every request now (the health check's "full"): not even one more event of one byte fits.</summary>
    public bool IsFull => !HasRoom(1, 1);

    /// <summary>
    /// Commits the oldest uncommitted records (up to <see cref="IngestionOptions.MaxEventsPerCommit"/> events) in one
    /// group commit and moves the checkpoint past them. Returns how many requests it committed (0: none waited).
    /// Throws while ClickHouse does not take them; they stay in the log for the next try.
    /// </summary>
    public async Task<int> CommitUncommittedAsync(CancellationToken cancellationToken)
    {
        var log = Log ?? throw new InvalidOperationException("Ingestion:Acknowledge is not Logged.");
        log.Open();
        var (requests, intent) = log.BeginCommit(_options.MaxEventsPerCommit, _time.GetUtcNow());
        if (intent is null) return 0;
        var batches = requests.Select(r => (_handler.Prepare([r.Body], maxEventsPerPayload: _options.MaxEventsPerRequest,
            tenantAllowed: r.Tenants is null ? null : TenantScope.Of(r.Tenants).Allows, validatedAt: r.ReceivedAt), r.Source)).ToList();
        var (joined, _) = GroupCommit.Join(batches);
        // Named and stamped by its intent: done again (a crash before the checkpoint moved, or a retry after a failure
        // part-way), it records its rejects and duplicates once and tells its own stored ids from earlier ones.
        joined.Identity = new CommitIdentity(intent.Token, intent.At);
        await _handler.Commits.CommitAsync(joined, requests[0].Source, cancellationToken);
        log.Committed(intent.End);
        return requests.Count;
    }

    /// <summary>The answer from the prepared request alone: rejects and in-request repeats are final, the rest "accepted".</summary>
    private static IngestSummary Verdicts(PreparedBatch prepared)
    {
        var summary = new IngestSummary { Rejected = prepared.Rejects.Count };
        foreach (var (payload, index, rejection) in prepared.Rejects)
            summary.Outcomes.Add(new IngestOutcome(payload, index, IngestOutcome.RejectedStatus, rejection.EventId, rejection));
        for (var i = 0; i < prepared.Events.Count; i++)
        {
            var (payload, index, row) = prepared.Events[i];
            if (prepared.Repeats.Contains(i))
            {
                summary.Duplicates++;
                summary.Outcomes.Add(new IngestOutcome(payload, index, IngestOutcome.DuplicateStatus, row.Event.EventId, null));
                continue;
            }
            summary.Accepted++;
            summary.CountPricing(row);
            summary.Outcomes.Add(new IngestOutcome(payload, index, IngestOutcome.AcceptedStatus, row.Event.EventId, null));
        }
        return summary;
    }

    public void Dispose() => Log?.Dispose();
}

/// <summary>
/// Commits the durable log to ClickHouse (<see cref="LoggedIngestion"/>): at start-up whatever a previous run left, then,
/// once a record arrives, everything that arrived within <see cref="IngestionOptions.LogCommitIntervalMilliseconds"/>
/// (sooner when <see cref="IngestionOptions.MaxEventsPerCommit"/> events wait) in one commit. A failed commit is retried
/// after <see cref="RetryDelay"/>; the records wait in the log meanwhile (up to <see cref="IngestionOptions.MaxLoggedEvents"/>,
/// past which requests get 503). At shutdown it commits what is left, as far as the host's stop timeout allows.
/// </summary>
public sealed class IngestionLogCommitter(LoggedIngestion logged, IOptions<IngestionOptions> options, ILogger<IngestionLogCommitter> logger) : IHostedService
{
    internal static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest <see cref="Pause"/> a slow commit stretches the interval to.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long to gather records before the next commit: the interval, or as long as the last commit took when that was
    /// longer (up to <see cref="MaxPause"/>), so committing takes at most about half of the writer's time. A commit's
    /// duplicate check reads about a granule of <c>usage_event_ids</c> per event, up to all of it, so once that table is
    /// large a commit costs nearly the same whatever its size: measured with 5,000,000 ids stored (<c>bench live
    /// --stored-ids</c>, 64 connections), a commit every 200 ms took 630 ms each and the host answered 3,771 requests/s;
    /// with commits gathered for 1 s, 5,985. On an empty table commits take 30-150 ms and the interval stands.
    /// </summary>
    public static TimeSpan Pause(TimeSpan interval, TimeSpan lastCommit)
    {
        var stretched = lastCommit < MaxPause ? lastCommit : MaxPause;
        return stretched > interval ? stretched : interval;
    }

    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (logged.Log is not { } log) return Task.CompletedTask;
        log.Open();
        if (log.UncommittedEvents > 0) logger.LogInformation("Ingestion log: {Events} events of a previous run to commit", log.UncommittedEvents);
        if (log.CutBytes > 0) logger.LogWarning("Ingestion log: {Bytes} bytes at the end of a file were unreadable and cut (a record torn by a crash is never answered)", log.CutBytes);
        _loop = Task.Run(() => RunAsync(log, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync(IngestionLog log, CancellationToken stopping)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.LogCommitIntervalMilliseconds);
        var lastCommit = TimeSpan.Zero;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var changed = log.Changed;
                if (log.UncommittedEvents == 0)
                {
                    await changed.WaitAsync(stopping);
                    continue;
                }
                // Real time, not the injected clock: the pause only gathers records into one commit and decides nothing.
                if (log.UncommittedEvents < options.Value.MaxEventsPerCommit) await Task.Delay(Pause(interval, lastCommit), stopping);
                var started = Stopwatch.GetTimestamp();
                await logged.CommitUncommittedAsync(CancellationToken.None);
                lastCommit = Stopwatch.GetElapsedTime(started);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Ingestion log commit failed; {Events} events wait in the log and are retried", log.UncommittedEvents);
                await Task.Delay(RetryDelay, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loop is null) return;
        await _stopping.CancelAsync();
        await _loop;
        try
        {
            // What is left is committed now, or by the next start: the log keeps it either way.
            while (!cancellationToken.IsCancellationRequested && await logged.CommitUncommittedAsync(cancellationToken) > 0)
            {
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Ingestion log not committed at shutdown; the next start commits it");
        }
    }
}
