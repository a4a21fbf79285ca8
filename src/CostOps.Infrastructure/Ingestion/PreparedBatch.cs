using CostOps.Core.Ingestion;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>A batch parsed, validated and priced, waiting to be written (see <see cref="UsageIngestionHandler.Prepare"/>).</summary>
public sealed class PreparedBatch
{
    public List<(int Payload, int Index, PricedUsageEvent Row)> Events { get; } = [];

    public List<(int Payload, int Index, UsageEventRejection Rejection)> Rejects { get; } = [];

    /// <summary>Positions in <see cref="Events"/> of repeats within the batch (a (tenant, id) seen earlier in it).</summary>
    public HashSet<int> Repeats { get; } = [];

    /// <summary>
    /// The events already encoded for insert (all but the <see cref="Repeats"/>, in order) with the
    /// source they were written for, when <see cref="UsageIngestionHandler.Prepare"/> was given one: bulk loads encode on
    /// the preparing core. Used only when none of them is stored yet; otherwise the writer encodes the survivors itself.
    /// </summary>
    public (ReadOnlyMemory<byte> Block, string Source)? Encoded { get; set; }

    /// <summary>Encodes every event but the <see cref="Repeats"/> as one insert block for <paramref name="source"/> (<see cref="Encoded"/>).</summary>
    public void Encode(string source, DateTimeOffset ingestedAt)
    {
        var block = UsageEventRows.NewBlock(Events.Count);
        for (var i = 0; i < Events.Count; i++)
        {
            if (!Repeats.Contains(i)) UsageEventRows.Write(block, Events[i].Row, source, ingestedAt);
        }
        Encoded = (block.ToBlock(), source);
    }

    /// <summary>
    /// The source of each payload (by payload number) when the batch joins several callers' batches (<see cref="GroupCommit"/>);
    /// <see langword="null"/> when every payload has the source the batch is written with.
    /// </summary>
    public List<string>? PayloadSources { get; init; }

    /// <summary>
    /// Set when the batch is a commit that may be done again after a crash (a durable log's range:
    /// <see cref="IngestionLog.BeginCommit"/>): its rejects and duplicates are inserted under this token (ClickHouse drops a
    /// block whose token it stored among its last 1,000), and it is stamped with this instant, so doing it again records
    /// nothing twice. Such a batch is written alone, never joined with other callers' (<see cref="GroupCommit"/>).
    /// </summary>
    public CommitIdentity? Identity { get; set; }

    /// <summary>The source payload <paramref name="payload"/> is recorded with: its own when the batch joins several, else <paramref name="source"/>.</summary>
    public string SourceOf(int payload, string source) => PayloadSources?[payload] ?? source;

    /// <summary>
    /// The two halves of the batch's events (the first keeps the parse rejects), for isolating an event storage
    /// refuses. Not encoded; a repeat whose first occurrence lands in the other half is found stored instead.
    /// </summary>
    public (PreparedBatch First, PreparedBatch Second) Split()
    {
        int half = Events.Count / 2;
        var first = new PreparedBatch { PayloadSources = PayloadSources, Identity = Identity?.Derived('l') };
        var second = new PreparedBatch { PayloadSources = PayloadSources, Identity = Identity?.Derived('r') };
        first.Rejects.AddRange(Rejects);
        for (var i = 0; i < Events.Count; i++)
        {
            var target = i < half ? first : second;
            if (Repeats.Contains(i) && IsRepeatWithin(i, half)) target.Repeats.Add(target.Events.Count);
            target.Events.Add(Events[i]);
        }
        return (first, second);
    }

    private bool IsRepeatWithin(int position, int half)
    {
        var e = Events[position].Row.Event;
        int from = position < half ? 0 : half;
        for (var j = from; j < position; j++)
        {
            var other = Events[j].Row.Event;
            if (other.EventId == e.EventId && other.Tenant == e.Tenant) return true;
        }
        return false;
    }
}

/// <summary>A commit's name for ClickHouse's insert deduplication and the instant it stamps (<see cref="PreparedBatch.Identity"/>).</summary>
public sealed record CommitIdentity(string Token, DateTimeOffset At)
{
    /// <summary>A part of the commit written on its own (a half, or a poison event's reject): named after it, apart from it.</summary>
    public CommitIdentity Derived(char part) => this with { Token = Token + part };

    /// <summary>The token of the commit's insert into <paramref name="table"/>.</summary>
    public string For(string table) => $"{Token}:{table}";
}
