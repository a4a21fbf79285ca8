using System.Collections.Concurrent;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>
/// Batches this instance holds that are not stored yet: an Event Hubs batch from the moment it is handed to ingestion
/// until it is durable, through every retry of an outage (its partition's checkpoint waits behind it). The health check
/// reports how many there are and the age of the oldest, so a stuck partition shows before the hub's retention drops
/// what waits behind it. An HTTP request is not counted: its caller holds it and retries.
/// </summary>
public sealed class IngestionBacklog(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _pending = new();
    private long _next;

    /// <summary>Counts a batch as pending until the returned handle is disposed.</summary>
    public IDisposable Track()
    {
        var id = Interlocked.Increment(ref _next);
        _pending[id] = time.GetUtcNow();
        return new Pending(this, id);
    }

    /// <summary>Pending batches and the age of the oldest (zero when none is pending).</summary>
    public (int Batches, TimeSpan OldestAge) Snapshot()
    {
        var now = time.GetUtcNow();
        var since = _pending.Values.ToArray();
        return (since.Length, since.Length == 0 ? TimeSpan.Zero : now - since.Min());
    }

    private sealed class Pending(IngestionBacklog backlog, long id) : IDisposable
    {
        public void Dispose() => backlog._pending.TryRemove(id, out _);
    }
}
