using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>Limits of ingestion (every path) and of the HTTP ingestion route.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Largest request body <c>POST /api/usage</c> takes, in bytes; bigger bodies get 413.</summary>
    [Range(1_024, 256 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Depth of the timestamp accept window, in days: an event older than this (by the host's clock) is refused with
    /// <c>timestamp_before_window</c>. Widen it to load older history.
    /// </summary>
    [Range(1, 36_500)]
    public int MaxEventAgeDays { get; set; } = 400;

    /// <summary>
    /// Most events one HTTP request body (or one Event Hubs message) may hold; more is refused whole
    /// (413, <c>payload_too_many_events</c>) before anything is stored, so a hostile body costs bounded work.
    /// Bulk loads (<c>costops ingest</c>) are not limited.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxEventsPerRequest { get; set; } = 10_000;

    /// <summary>
    /// Most events one group commit writes (<see cref="GroupCommit"/>): callers waiting while a write runs are joined into
    /// the next one up to this many events (a single larger request is still written, alone).
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxEventsPerCommit { get; set; } = 20_000;

    /// <summary>
    /// Most events waiting for a group commit; past it a request gets 503 <c>ingestion-busy</c> with Retry-After (and an
    /// Event Hubs batch is retried later) before anything is kept. Bounds the memory and the wait of a live host under a
    /// burst: about 1 KB per waiting event, and at most this many events ahead of any caller.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxQueuedEvents { get; set; } = 50_000;

    /// <summary>
    /// Longest a free writer waits for more callers before it commits (milliseconds; 0: at once); the wait ends early
    /// once the callers the last commit answered, and those that waited beside it, are all queued again. Callers answered
    /// together come back over a few milliseconds; without the wait the writer takes the first of them and the rest
    /// queue for the commit after, so commits split in halves (measured while each commit also refreshed its rollups). Measured with
    /// <c>bench live</c> at 64 connections: 0 ms 422-553 requests/s (p99 270-322 ms), 2 ms 460-522, 5 ms 629, 10 ms
    /// 859-888 (p99 160-171 ms), 20 ms 859 (p99 119 ms); a lone caller paid the window (p50 53 -> 59 ms) until the early end.
    /// </summary>
    [Range(0, 1_000)]
    public int CommitWindowMilliseconds { get; set; } = 10;

    /// <summary>
    /// How long the spend rollups may lag behind acknowledged live events (milliseconds; 0: each commit refreshes its
    /// rollups before answering). A live commit only marks the (tenant, hour) slices it touched; the writer recomputes
    /// everything marked once the oldest mark is this old, or as soon as no caller is waiting. The spend and budget
    /// readers of the same process refresh what is marked before they read (read-your-writes), and the repair pass
    /// rebuilds what a crash left unrefreshed. Grafana, reading ClickHouse directly, sees at most this lag plus one refresh.
    /// </summary>
    [Range(0, 60_000)]
    public int RollupIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>
    /// Hours back the repair pass (<see cref="RollupRepair"/>) checks rollups against events, at start-up and on
    /// <c>RollupRepairSchedule</c>: covers a crash or failed refresh between an insert and its rollup.
    /// </summary>
    [Range(1, 24 * 400)]
    public int RepairLookbackHours { get; set; } = 48;

    /// <summary>
    /// When a live HTTP request is answered: <c>Stored</c> (default; 200 once its events are in ClickHouse, each with its
    /// exact verdict) or <c>Logged</c> (202 once the body is in this host's durable log, committed to ClickHouse within
    /// <see cref="LogCommitIntervalMilliseconds"/>; see <see cref="LoggedIngestion"/>). Logged needs a disk that outlives
    /// the process (<c>costops serve</c>, a container with a volume), not a Functions plan's scratch space.
    /// </summary>
    public IngestionAcknowledge Acknowledge { get; set; } = IngestionAcknowledge.Stored;

    /// <summary>Folder of the durable log (Logged); default <c>ingest-log/&lt;database&gt;</c> under the state folder.</summary>
    public string? LogDirectory { get; set; }

    /// <summary>
    /// How long the log gathers requests before committing them to ClickHouse (milliseconds; Logged): the lag of spend
    /// reads behind answers, and the size of each commit (a commit costs about 50 ms of CPU whatever its size).
    /// </summary>
    [Range(1, 60_000)]
    public int LogCommitIntervalMilliseconds { get; set; } = 200;

    /// <summary>
    /// Most events the log holds uncommitted (Logged): a ClickHouse outage is ridden out up to this many, then requests get
    /// 503 <c>ingestion-busy</c>. Their bodies are held in memory too (see <see cref="MaxLoggedBytes"/>).
    /// </summary>
    [Range(1, 100_000_000)]
    public long MaxLoggedEvents { get; set; } = 200_000;

    /// <summary>
    /// Most bytes of bodies the log holds uncommitted (Logged; they are held in memory for the commit), whatever
    /// <see cref="MaxLoggedEvents"/> allows: a few events of megabytes each (prompt texts) would otherwise hold gigabytes
    /// through a ClickHouse outage. Past it, 503 <c>ingestion-busy</c> as for the events.
    /// </summary>
    [Range(1024 * 1024, 64L * 1024 * 1024 * 1024)]
    public long MaxLoggedBytes { get; set; } = 256L * 1024 * 1024;
}
