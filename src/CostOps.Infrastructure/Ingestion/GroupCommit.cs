using System.Diagnostics;
using CostOps.Infrastructure.Telemetry;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>
/// Group commit for live ingestion (HTTP requests, Event Hubs batches): callers that arrive while a write runs wait
/// in one queue, and as soon as the writer is free it joins everything waiting (up to
/// <see cref="IngestionOptions.MaxEventsPerCommit"/> events) into one batch: one duplicate check, one insert, one
/// rollup refresh for all of them (deferred: see <see cref="IngestionOptions.RollupIntervalMilliseconds"/>). Each
/// caller is answered when that write is durable, with the outcomes of its own events only. A free writer waits
/// <see cref="IngestionOptions.CommitWindowMilliseconds"/> (10 ms) for more callers, or until as many as the last commit
/// and those waiting beside it have arrived, then takes whatever has arrived (<see cref="GatherAsync"/>). The queue is bounded (<see cref="IngestionOptions.MaxQueuedEvents"/>): past it a
/// caller is refused with <see cref="IngestionBusyException"/> before anything is kept, so its retry is safe.
/// Each commit is measured (<see cref="CostOpsTelemetry"/>): outcomes, duration, one span linked to every caller's.
/// </summary>
public sealed class GroupCommit
{
    /// <param name="Caller">The caller's span, if any: the commit's span is its child (the first caller's) or links to it.</param>
    private sealed record Waiting(PreparedBatch Batch, string Source, int Size, ActivityContext Caller)
    {
        public TaskCompletionSource<IngestSummary> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Func<PreparedBatch, string, Task<IngestSummary>> _write;
    private readonly Func<bool, Task>? _maintain;
    private readonly IngestionOptions _options;
    private readonly CostOpsTelemetry? _telemetry;

    /// <param name="maintain">
    /// Deferred work of the writer (the rollup refresh), called after each commit with false and, when no caller waits,
    /// with true, before the writer stops. Its failures are its own: the writer goes on.
    /// </param>
    public GroupCommit(Func<PreparedBatch, string, Task<IngestSummary>> write, IngestionOptions options, CostOpsTelemetry? telemetry = null,
        Func<bool, Task>? maintain = null)
    {
        _write = write;
        _maintain = maintain;
        _options = options;
        _telemetry = telemetry;
        telemetry?.ObserveQueue(() => QueuedEvents);
    }

    private readonly Lock _lock = new();
    private readonly Queue<Waiting> _queue = new();
    private int _queuedEvents;
    private bool _writing;
    /// <summary>Callers the last commit answered plus those waiting when it ended: as many are expected in the next window (<see cref="GatherAsync"/>).</summary>
    private int _expectedCallers;
    /// <summary>Set while a free writer waits for callers; completed by the caller that makes the wait pointless.</summary>
    private TaskCompletionSource? _gathering;
    private long _commitCount;

    /// <summary>Writes made so far (each joining one or more callers), for <c>costops bench live</c>.</summary>
    public long CommitCount => Interlocked.Read(ref _commitCount);

    /// <summary>Events waiting for a commit right now (for tests and diagnostics).</summary>
    public int QueuedEvents
    {
        get { lock (_lock) return _queuedEvents; }
    }

    /// <summary>
    /// Writes <paramref name="batch"/> in the next commit and returns its own outcomes once that commit is durable.
    /// Cancelling stops the wait, not the commit the batch may already be part of (a retry then finds it stored).
    /// </summary>
    /// <exception cref="IngestionBusyException">The queue is full; nothing of the batch was kept.</exception>
    public async Task<IngestSummary> CommitAsync(PreparedBatch batch, string source, CancellationToken cancellationToken)
    {
        var waiting = new Waiting(batch, source, Math.Max(1, batch.Events.Count + batch.Rejects.Count), Activity.Current?.Context ?? default);
        bool startWriter;
        lock (_lock)
        {
            // An empty queue takes any batch, so one larger than the limit is still written (alone).
            if (_queue.Count > 0 && _queuedEvents + waiting.Size > _options.MaxQueuedEvents) throw new IngestionBusyException(_queuedEvents);
            _queue.Enqueue(waiting);
            _queuedEvents += waiting.Size;
            startWriter = !_writing;
            _writing = true;
            if (_gathering is { } gathering && NothingLeftToGather)
            {
                _gathering = null;
                gathering.TrySetResult();
            }
        }
        if (startWriter) _ = Task.Run(WriteQueuedAsync, CancellationToken.None);
        return await waiting.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The writer: commits what is queued, group after group; when nobody waits it does its deferred work once, and
    /// stops when the queue is still empty.
    /// </summary>
    private async Task WriteQueuedAsync()
    {
        // The writer serves every caller: its commits are not inside the span of the one that happened to start it.
        Activity.Current = null;
        var maintainedIdle = false;
        while (true)
        {
            await GatherAsync();
            var group = new List<Waiting>();
            lock (_lock)
            {
                var events = 0;
                // A batch with its own identity (a durable log's commit) is written alone: done again after a crash, it
                // must write the same rows under the same token, which a join with other callers would not.
                while (_queue.TryPeek(out var next) && (group.Count == 0
                           || (events + next.Size <= _options.MaxEventsPerCommit && next.Batch.Identity is null && group[0].Batch.Identity is null)))
                {
                    group.Add(_queue.Dequeue());
                    events += next.Size;
                }
                _queuedEvents -= events;
                // Stopping is decided under the lock, so a caller enqueued meanwhile finds a writer or starts one.
                if (group.Count == 0 && (maintainedIdle || _maintain is null))
                {
                    _writing = false;
                    return;
                }
            }
            if (group.Count == 0)
            {
                maintainedIdle = true;
                await MaintainAsync(idle: true);
                continue;
            }
            maintainedIdle = false;
            await CommitGroupAsync(group);
            // Its callers, answered, may come back beside those already waiting.
            lock (_lock) _expectedCallers = group.Count + _queue.Count;
            await MaintainAsync(idle: false);
        }
    }

    /// <summary>
    /// The commit window: a free writer waits up to <see cref="IngestionOptions.CommitWindowMilliseconds"/> for callers,
    /// but no longer than until the last commit's callers and those that waited beside it are all queued. Clients
    /// answered together come back together, a few milliseconds apart; once they are all back there is nobody left to
    /// wait for, and the rest of a fixed window would only add to every answer. Counting only the last commit's callers
    /// was measured to settle into two halves taking turns (each caller then waits for the other half's commit too).
    /// </summary>
    private async Task GatherAsync()
    {
        if (_options.CommitWindowMilliseconds <= 0) return;
        TaskCompletionSource gathered;
        lock (_lock)
        {
            if (NothingLeftToGather) return;
            gathered = _gathering = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        // Real time, not the injected clock: the pause only gathers callers and decides nothing, and a test's faked
        // clock would hold every write.
        await gathered.Task.WaitAsync(TimeSpan.FromMilliseconds(_options.CommitWindowMilliseconds))
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_lock) _gathering = null;
    }

    /// <summary>The queue already fills a commit, or holds every caller expected (under the lock).</summary>
    private bool NothingLeftToGather => _queuedEvents >= _options.MaxEventsPerCommit || _queue.Count >= _expectedCallers;

    private async Task MaintainAsync(bool idle)
    {
        if (_maintain is null) return;
        try
        {
            await _maintain(idle);
        }
        catch
        {
            // Deferred work never stops the writer: callers would wait for ever. Its owner logs and retries it.
        }
    }

    private async Task CommitGroupAsync(List<Waiting> group)
    {
        Interlocked.Increment(ref _commitCount);
        using var commit = _telemetry?.StartCommit(IngestionMode.Live, group.Count, CallerSpans(group));
        try
        {
            if (group is [var alone])
            {
                var own = await _write(alone.Batch, alone.Source);
                Measured(commit, own);
                alone.Done.TrySetResult(own);
                return;
            }
            var (joined, firstPayloads) = Join(group);
            var summary = await _write(joined, group[0].Source);
            Measured(commit, summary);
            for (var i = 0; i < group.Count; i++)
            {
                var end = i + 1 < group.Count ? firstPayloads[i + 1] : int.MaxValue;
                group[i].Done.TrySetResult(Part(summary, group[i].Batch, firstPayloads[i], end));
            }
        }
        catch (Exception e)
        {
            // Storage unavailable (or the write failed otherwise): every caller of the commit hears it, none was kept.
            commit?.Fail(e);
            commit?.Dispose();
            foreach (var waiting in group) waiting.Done.TrySetException(e);
        }
    }

    /// <summary>Records the commit and ends its span before any caller is answered: a caller holding its answer finds its commit counted.</summary>
    private void Measured(TelemetryOperation? commit, IngestSummary summary)
    {
        _telemetry?.Committed(commit, summary, IngestionMode.Live);
        commit?.Dispose();
    }

    /// <summary>The callers' spans, in order (the commit's parent and links); none when no one traces.</summary>
    private ActivityContext[]? CallerSpans(List<Waiting> group)
    {
        if (_telemetry?.Source.HasListeners() != true) return null;
        var spans = new ActivityContext[group.Count];
        for (var i = 0; i < group.Count; i++) spans[i] = group[i].Caller;
        return spans;
    }

    /// <summary>
    /// One batch of the group's batches, payloads numbered on (each caller's payload p becomes first + p), with each
    /// payload's source, and repeats found across callers as within one: a producer's retry that races its original.
    /// </summary>
    internal static (PreparedBatch Joined, int[] FirstPayloads) Join(IReadOnlyList<(PreparedBatch Batch, string Source)> batches)
    {
        var joined = new PreparedBatch { PayloadSources = [] };
        var firstPayloads = new int[batches.Count];
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < batches.Count; i++)
        {
            var (batch, source) = batches[i];
            var first = firstPayloads[i] = joined.PayloadSources.Count;
            var payloads = 1 + Math.Max(batch.Events.Select(e => e.Payload).DefaultIfEmpty().Max(), batch.Rejects.Select(r => r.Payload).DefaultIfEmpty().Max());
            for (var p = 0; p < payloads; p++) joined.PayloadSources.Add(batch.PayloadSources?[p] ?? source);
            foreach (var (payload, index, row) in batch.Events)
            {
                if (!seen.Add((row.Event.Tenant, row.Event.EventId))) joined.Repeats.Add(joined.Events.Count);
                joined.Events.Add((first + payload, index, row));
            }
            foreach (var (payload, index, rejection) in batch.Rejects) joined.Rejects.Add((first + payload, index, rejection));
        }
        return (joined, firstPayloads);
    }

    private static (PreparedBatch Joined, int[] FirstPayloads) Join(List<Waiting> group) =>
        Join(group.Select(w => (w.Batch, w.Source)).ToList());

    /// <summary>The outcomes of payloads [<paramref name="first"/>, <paramref name="end"/>), numbered back as their caller sent them, and their counts.</summary>
    internal static IngestSummary Part(IngestSummary joined, PreparedBatch own, int first, int end)
    {
        var part = new IngestSummary { RollupsPending = joined.RollupsPending };
        foreach (var o in joined.Outcomes)
        {
            if (o.Payload < first || o.Payload >= end) continue;
            part.Outcomes.Add(o with { Payload = o.Payload - first });
            switch (o.Status)
            {
                case IngestOutcome.AcceptedStatus: part.Accepted++; break;
                case IngestOutcome.DuplicateStatus: part.Duplicates++; break;
                default: part.Rejected++; break;
            }
        }
        // Unpriced and estimated are properties of the caller's own accepted rows.
        var accepted = part.Outcomes.Where(o => o.Status == IngestOutcome.AcceptedStatus).Select(o => (o.Payload, o.Index)).ToHashSet();
        foreach (var (payload, index, row) in own.Events)
        {
            if (!accepted.Contains((payload, index))) continue;
            part.CountPricing(row);
        }
        return part;
    }
}

/// <summary>The ingestion queue is full (<see cref="IngestionOptions.MaxQueuedEvents"/>): nothing was kept; retry after a pause.</summary>
public sealed class IngestionBusyException(int queuedEvents)
    : Exception($"{queuedEvents:N0} events are waiting to be written; retry shortly (nothing of this batch was kept).")
{
    public int QueuedEvents { get; } = queuedEvents;
}
