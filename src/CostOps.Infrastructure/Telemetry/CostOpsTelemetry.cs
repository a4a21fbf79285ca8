using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CostOps.Infrastructure.Ingestion;

namespace CostOps.Infrastructure.Telemetry;

/// <summary>
/// CostOps' own metrics and traces: one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named
/// <see cref="Name"/>, and every instrument (docs/telemetry.md lists them with units and attributes). The places that
/// already know a number record it here: a group commit or bulk batch its outcomes, a delivery its result, a tick its
/// duration. Nothing is recorded per event and no span is made per event; attribute values are built once. Without an
/// exporter nothing listens, and each call costs a check of <see cref="Instrument.Enabled"/> or
/// <see cref="ActivitySource.HasListeners"/>.
/// </summary>
/// <remarks>
/// The meter comes from the host's <see cref="IMeterFactory"/>, so a host's exporter reads this host's numbers only (the
/// tests run many hosts in one process; <see cref="TelemetryServiceCollectionExtensions"/> enables the meter for the
/// host's own factory). Activity sources have no such scope: each instance owns its source, so a reader can tell its
/// host's spans by <see cref="Activity.Source"/>.
/// </remarks>
public sealed class CostOpsTelemetry : IDisposable
{
    /// <summary>The name of the meter and of the activity source (what an exporter subscribes to).</summary>
    public const string Name = "CostOps";

    private static readonly string? Version = typeof(CostOpsTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>Seconds, from 5 ms to 5 min: a live commit takes milliseconds, a bulk batch or a budget tick seconds.</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private static readonly long[] CommitSizeBuckets = [1, 10, 100, 1_000, 10_000, 100_000];

    // Attribute values, made once: the hot path passes these and never builds a tag of its own (reject codes aside).
    private static readonly KeyValuePair<string, object?> OutcomeAccepted = new("outcome", IngestOutcome.AcceptedStatus);
    private static readonly KeyValuePair<string, object?> OutcomeDuplicate = new("outcome", IngestOutcome.DuplicateStatus);
    private static readonly KeyValuePair<string, object?> OutcomeRejected = new("outcome", IngestOutcome.RejectedStatus);
    private static readonly KeyValuePair<string, object?>[] ModeTags = [new("ingestion.mode", "live"), new("ingestion.mode", "bulk")];

    private readonly Meter _meter;
    private readonly Counter<long> _events;
    private readonly Counter<long> _unpriced;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<long> _commitEvents;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _deliveryDuration;
    private readonly Histogram<double> _tickDuration;
    private readonly Histogram<double> _recommendationRunDuration;

    private readonly Lock _queuesLock = new();
    private Func<int>[] _queues = [];
    private Func<long>? _logUncommitted;
    private readonly ConcurrentDictionary<(string Hub, string Partition), PartitionLag> _lag = new();

    public CostOpsTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(new MeterOptions(Name) { Version = Version });
        Source = new ActivitySource(Name, Version);

        _events = _meter.CreateCounter<long>("costops.ingestion.events", "{event}",
            "Events through ingestion, by outcome (accepted, duplicate, rejected with reject.code).");
        _unpriced = _meter.CreateCounter<long>("costops.pricing.unpriced", "{event}",
            "Accepted events no price covers (cost 0, status unknown_model); over costops.ingestion.events{outcome=accepted} it is the unpriced share.");
        _commitDuration = Duration("costops.ingestion.commit.duration",
            "Time to make one commit durable: a live group commit or a bulk batch (duplicate check, insert, records, rollups).");
        _commitEvents = _meter.CreateHistogram("costops.ingestion.commit.events", "{event}",
            "Events per commit (how many callers a group commit joined shows here).",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = CommitSizeBuckets });
        _meter.CreateObservableGauge("costops.ingestion.queue.depth", ObserveQueueDepth, "{event}",
            "Events waiting for the next group commit (bounded by Ingestion:MaxQueuedEvents).");
        _meter.CreateObservableGauge("costops.ingestion.log.uncommitted", () => Volatile.Read(ref _logUncommitted)?.Invoke() ?? 0, "{event}",
            "Ingestion:Acknowledge=Logged: events answered from the durable log and not yet committed to ClickHouse (bounded by Ingestion:MaxLoggedEvents).");
        _meter.CreateObservableGauge("costops.eventhubs.lag", ObserveLag, "{event}",
            "Per partition this instance reads: events enqueued in the hub after the last one it stored.");
        _deliveries = _meter.CreateCounter<long>("costops.alerts.deliveries", "{delivery}",
            "Alert delivery attempts, by outcome (delivered, retrying, failed) and channel.");
        _deliveryDuration = Duration("costops.alerts.delivery.duration",
            "Time of one delivery attempt (the request to the receiver and the outbox update).");
        _tickDuration = Duration("costops.budgets.tick.duration",
            "Time of one budget evaluation tick (spend, forecast, alert decisions, enqueue).");
        _recommendationRunDuration = Duration("costops.recommendations.run.duration",
            "Time of one recommendation run (read the window, re-price, write the set).");
    }

    /// <summary>A duration histogram in seconds, with <see cref="DurationBuckets"/>.</summary>
    private Histogram<double> Duration(string name, string description) =>
        _meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    /// <summary>This host's source of spans (named <see cref="Name"/>).</summary>
    public ActivitySource Source { get; }

    /// <summary>Starts a span of this source (null when nothing listens).</summary>
    public Activity? StartActivity(string name, ActivityKind kind = ActivityKind.Internal) => Source.StartActivity(name, kind);

    // ---- Ingestion ----

    /// <summary>
    /// Starts one commit: its span (<c>costops.ingestion.commit</c>) and its clock. A live group commit serves several
    /// callers (<paramref name="callerSpans"/>, given only while something traces): it is a child of the first caller
    /// whose span is recorded and links to every other caller's span. A caller's span that is not recorded (sampled out,
    /// or a request span nothing listens to) is linked, not followed: the commit is recorded on its own decision, since
    /// it serves the other callers too. Without callers (bulk), its parent is the current span.
    /// </summary>
    public TelemetryOperation? StartCommit(IngestionMode mode, int callers, IReadOnlyList<ActivityContext>? callerSpans = null)
    {
        if (!_commitDuration.Enabled && !_events.Enabled && !Source.HasListeners()) return null;
        ActivityContext parent = default;
        List<ActivityLink>? links = null;
        if (callerSpans is not null)
        {
            foreach (var span in callerSpans)
            {
                if (span == default) continue;
                if (parent == default && span.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)) parent = span;
                else (links ??= []).Add(new ActivityLink(span));
            }
        }
        var activity = Source.StartActivity("costops.ingestion.commit", ActivityKind.Internal, parent, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("costops.ingestion.mode", ModeTags[(int)mode].Value);
            activity.SetTag("costops.ingestion.callers", callers);
        }
        var operation = new TelemetryOperation(_commitDuration, activity);
        operation.Tag(ModeTags[(int)mode]);
        return operation;
    }

    /// <summary>
    /// Records what one commit did, from its summary (counts, and reject codes from the outcomes only when it rejected
    /// something), and completes its operation. The summary is the commit's whole one: a group commit's, not a caller's part.
    /// </summary>
    public void Committed(TelemetryOperation? commit, IngestSummary summary, IngestionMode mode)
    {
        var modeTag = ModeTags[(int)mode];
        if (summary.Accepted > 0) _events.Add(summary.Accepted, OutcomeAccepted, modeTag);
        if (summary.Duplicates > 0) _events.Add(summary.Duplicates, OutcomeDuplicate, modeTag);
        if (summary.Unpriced > 0) _unpriced.Add(summary.Unpriced, modeTag);
        if (summary.Rejected > 0 && _events.Enabled)
        {
            foreach (var outcome in summary.Outcomes)
            {
                if (outcome.Rejection is { } rejection)
                    _events.Add(1, OutcomeRejected, new KeyValuePair<string, object?>("reject.code", rejection.Code), modeTag);
            }
        }
        _commitEvents.Record(summary.Accepted + summary.Duplicates + summary.Rejected, modeTag);
        if (commit is null) return;
        if (commit.Activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag("costops.ingestion.accepted", summary.Accepted);
            activity.SetTag("costops.ingestion.duplicates", summary.Duplicates);
            activity.SetTag("costops.ingestion.rejected", summary.Rejected);
            activity.SetTag("costops.ingestion.unpriced", summary.Unpriced);
            if (summary.RollupsPending) activity.SetTag("costops.ingestion.rollups_pending", true);
        }
        commit.Complete();
    }

    /// <summary>Counts <paramref name="queuedEvents"/> in <c>costops.ingestion.queue.depth</c> (a group commit's queue).</summary>
    public void ObserveQueue(Func<int> queuedEvents)
    {
        lock (_queuesLock) _queues = [.. _queues, queuedEvents];
    }

    /// <summary>Reports the durable log's uncommitted events (<see cref="Ingestion.LoggedIngestion"/>, one per host).</summary>
    public void ObserveLog(Func<long> uncommittedEvents) => Volatile.Write(ref _logUncommitted, uncommittedEvents);

    private int ObserveQueueDepth()
    {
        var total = 0;
        foreach (var queue in Volatile.Read(ref _queues)) total += queue();
        return total;
    }

    // ---- Event Hubs ----

    /// <summary>
    /// The lag of one partition after a batch: the hub's last enqueued sequence number (as the processor last saw it)
    /// less the last one stored. <paramref name="lastStored"/> is null after an empty wait: the last one stored stands.
    /// </summary>
    public void RecordEventHubsLag(string hub, string partition, long? lastStored, long? lastEnqueued)
    {
        var key = (hub, partition);
        var stored = lastStored ?? (_lag.TryGetValue(key, out var known) ? known.LastStored : null);
        // Unknown until this instance stored one event of the partition, or when the hub did not say.
        if (stored is null || lastEnqueued is null) return;
        _lag[key] = new PartitionLag(stored, Math.Max(0, lastEnqueued.Value - stored.Value));
    }

    /// <summary>The partition is no longer read here (ownership moved, or the processor stopped): its lag is another's to report.</summary>
    public void ForgetEventHubsPartition(string hub, string partition) => _lag.TryRemove((hub, partition), out _);

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        foreach (var ((hub, partition), lag) in _lag)
        {
            yield return new Measurement<long>(lag.Lag,
                new KeyValuePair<string, object?>("messaging.destination.name", hub),
                new KeyValuePair<string, object?>("messaging.destination.partition.id", partition));
        }
    }

    private readonly record struct PartitionLag(long? LastStored, long Lag);

    // ---- Alerts, budgets, recommendations ----

    /// <summary>One delivery attempt of an outbox row (span <c>costops.alerts.deliver</c>); complete it with <see cref="Delivered"/>.</summary>
    public TelemetryOperation? StartDelivery(string channel, string alertId, int attempt)
    {
        if (!_deliveryDuration.Enabled && !_deliveries.Enabled && !Source.HasListeners()) return null;
        var activity = Source.StartActivity("costops.alerts.deliver");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("costops.alert.channel", channel);
            activity.SetTag("costops.alert.id", alertId);
            activity.SetTag("costops.alert.attempt", attempt);
        }
        var operation = new TelemetryOperation(_deliveryDuration, activity, _deliveries);
        operation.Tag("alert.channel", channel);
        return operation;
    }

    /// <summary>
    /// The attempt ended: <paramref name="status"/> is the row's status after it (<c>delivered</c>, <c>pending</c> =
    /// retrying, <c>failed</c>), <paramref name="statusCode"/> the receiver's answer if any.
    /// </summary>
    public static void Delivered(TelemetryOperation? delivery, string status, int? statusCode)
    {
        if (delivery is null) return;
        var outcome = status == Alerts.AlertStatuses.Pending ? "retrying" : status;
        delivery.Tag("outcome", outcome);
        if (delivery.Activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag("costops.alert.outcome", outcome);
            if (statusCode is { } code) activity.SetTag("http.response.status_code", code);
        }
        delivery.Complete();
    }

    /// <summary>One budget evaluation tick (span <c>costops.budgets.tick</c>).</summary>
    public TelemetryOperation? StartBudgetTick() => Start("costops.budgets.tick", _tickDuration);

    /// <summary>One recommendation run (span <c>costops.recommendations.run</c>); <paramref name="scheduled"/>: the schedule's, else on demand.</summary>
    public TelemetryOperation? StartRecommendationRun(bool scheduled)
    {
        var operation = Start("costops.recommendations.run", _recommendationRunDuration);
        operation?.Tag("recommendations.trigger", scheduled ? "schedule" : "on_demand");
        return operation;
    }

    private TelemetryOperation? Start(string span, Histogram<double> duration)
    {
        if (!duration.Enabled && !Source.HasListeners()) return null;
        return new TelemetryOperation(duration, Source.StartActivity(span));
    }

    public void Dispose()
    {
        // The meter belongs to the host's IMeterFactory, which disposes it; the source is this instance's own.
        Source.Dispose();
    }
}

/// <summary>How events arrive: live (HTTP, Event Hubs: group commits) or bulk (files, the demo, benchmarks).</summary>
public enum IngestionMode
{
    Live = 0,
    Bulk = 1,
}
