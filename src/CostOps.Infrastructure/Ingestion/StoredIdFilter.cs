using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.Logging;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>
/// Which of a commit's events are certainly not stored, without asking ClickHouse: a Bloom filter over every identity
/// (tenant, event id) in <c>usage_event_ids</c>, loaded once from the table and kept current by the commits themselves.
/// The duplicate check then looks up only the events the filter cannot rule out (about 1 % of new ones, and the real
/// duplicates). Without it, each look-up reads a granule of the table per event, up to all of it: with 5,000,000 ids
/// stored a live commit of 64 events spent 107 ms on its check and a logged commit of a few thousand 630 ms
/// (<c>bench live --stored-ids</c>, docs/ingestion.md).
/// <para>
/// Exact only while every id written to the table is added here first, so only for the embedded engine: one process
/// at a time opens its data folder, and in this process every id is written by <see cref="UsageIngestionHandler"/>,
/// which adds it before inserting it (a failed insert leaves an extra id: a look-up, never a miss). One filter per
/// database in the process, shared by every handler on it. On a ClickHouse server other hosts write too: no filter.
/// Ids deleted from the table (TTL, a dropped database) stay in the filter, which costs look-ups, never a wrong verdict.
/// </para>
/// </summary>
public sealed class StoredIdFilter
{
    /// <summary>Rows per page of the load (a page's text is about 10 MB).</summary>
    internal const int PageRows = 100_000;

    /// <summary>Bits per id the filter is sized for, and the bits each id sets: about a 1 % false-positive rate.</summary>
    private const int BitsPerId = 10;
    private const int HashesPerId = 7;

    /// <summary>Beyond this many ids the filter is not loaded (about 120 MB): the duplicate check asks ClickHouse alone.</summary>
    public const long MaxIds = 100_000_000;

    private static readonly ConcurrentDictionary<string, StoredIdFilter> PerDatabase = new();

    private readonly IClickHouse _clickHouse;
    private readonly SqlCatalog _catalog;
    private readonly ILogger? _logger;
    private readonly Lock _lock = new();

    /// <summary>Ids added before the bits exist (the load is sizing them); moved into them when they are published.</summary>
    private readonly Queue<ulong> _journal = new();
    private Bits? _bits;
    private Task? _loading;
    private volatile bool _disabled;

    private StoredIdFilter(IClickHouse clickHouse, SqlCatalog catalog, ILogger? logger)
    {
        _clickHouse = clickHouse;
        _catalog = catalog;
        _logger = logger;
    }

    /// <summary>
    /// The filter of <paramref name="clickHouse"/>'s database, when it can be exact (the embedded engine); else null.
    /// Every handler takes it when it is made, before its first commit, so that no id it writes is missed.
    /// </summary>
    public static StoredIdFilter? For(IClickHouse clickHouse, SqlCatalog catalog, ILogger? logger = null) =>
        clickHouse is EmbeddedClickHouse embedded
            ? PerDatabase.GetOrAdd($"{Path.GetFullPath(embedded.Engine.DataPath)}\n{embedded.Database}", _ => new StoredIdFilter(clickHouse, catalog, logger))
            : null;

    /// <summary>Loaded and in use (until then every candidate is looked up).</summary>
    public bool IsReady => !_disabled && Volatile.Read(ref _bits) is { Loaded: true, Full: false };

    /// <summary>
    /// The candidates that may be stored: all of them until the filter is loaded (the first call starts the load in the
    /// background), then only those the filter cannot rule out.
    /// </summary>
    public List<(string Tenant, string EventId)> MayBeStored(IReadOnlyList<(string Tenant, string EventId)> candidates)
    {
        var bits = Volatile.Read(ref _bits);
        if (_disabled || bits is not { Loaded: true })
        {
            StartLoading();
            return [.. candidates];
        }
        if (bits.Full)
        {
            // Sized for twice the ids stored at load; past that it rules out too few to help. The next start loads it bigger.
            Disable("it holds more ids than it was sized for; the next start sizes it for the table");
            return [.. candidates];
        }
        var maybe = new List<(string, string)>();
        foreach (var key in candidates)
        {
            if (bits.MayContain(Hash(key.Tenant, key.EventId))) maybe.Add(key);
        }
        return maybe;
    }

    /// <summary>Records ids about to be written, before they are: from then on they are never ruled out.</summary>
    public void Add(IEnumerable<(string Tenant, string EventId)> ids)
    {
        if (_disabled) return;
        var bits = Volatile.Read(ref _bits);
        if (bits is not null)
        {
            foreach (var (tenant, eventId) in ids) bits.Add(Hash(tenant, eventId));
            return;
        }
        lock (_lock)
        {
            // Not published yet: kept for the bits, which take everything added before them when they are published.
            foreach (var (tenant, eventId) in ids)
            {
                if (_bits is not null) _bits.Add(Hash(tenant, eventId));
                else if (!_disabled) _journal.Enqueue(Hash(tenant, eventId));
            }
        }
    }

    private void StartLoading()
    {
        lock (_lock)
        {
            if (_loading is null && !_disabled) _loading = Task.Run(LoadAsync);
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            var count = long.Parse((await _clickHouse.QueryAsync(_catalog.Get(SqlNames.Ingest.CountStoredIds), "TSV")).Trim(), CultureInfo.InvariantCulture);
            if (count > MaxIds)
            {
                Disable($"{count} ids are stored, more than {MaxIds}");
                return;
            }
            // Room for the table to double in this process (a full filter rules out too few to help).
            var capacity = Math.Max(1_000_000, count * 2);
            var bits = new Bits(capacity * BitsPerId, capacity);
            lock (_lock)
            {
                // Published before the first page is read: every id written from here on is added to it, so an id
                // stored after its page was read is not missed; those added before it are in the journal.
                while (_journal.TryDequeue(out var hash)) bits.Add(hash);
                Volatile.Write(ref _bits, bits);
            }
            var (afterTenant, afterId) = ("", "");
            while (true)
            {
                var page = await _clickHouse.QueryAsync(_catalog.Get(SqlNames.Ingest.StoredIdsPage), "TSV", new QueryParameters
                {
                    { "after_tenant", afterTenant }, { "after_event_id", afterId }, { "limit", (uint)PageRows },
                });
                var rows = 0;
                var last = "";
                foreach (var line in page.AsSpan().EnumerateLines())
                {
                    if (line.IsEmpty) continue;
                    var tab = line.IndexOf('\t');
                    bits.Add(ulong.Parse(line[..tab], CultureInfo.InvariantCulture));
                    rows++;
                    if (rows == PageRows) last = line[(tab + 1)..].ToString();
                }
                if (rows < PageRows) break;
                var keys = last.Split('\t');
                (afterTenant, afterId) = (keys[0], keys[1]);
            }
            bits.Loaded = true;
            _logger?.LogInformation("Stored-id filter loaded: {Count} ids; the duplicate check asks ClickHouse only for events it cannot rule out", count);
        }
        catch (Exception e)
        {
            // Ids added meanwhile went into bits now dropped, so a second load could miss some: none until the next start.
            Disable($"its load failed ({e.GetType().Name}: {e.Message})");
        }
    }

    private void Disable(string reason)
    {
        lock (_lock)
        {
            if (_disabled) return;
            _disabled = true;
            _journal.Clear();
            Volatile.Write(ref _bits, null);
        }
        _logger?.LogWarning("Stored-id filter off until the next start: {Reason}; the duplicate check asks ClickHouse for every event", reason);
    }

    /// <summary>What ClickHouse computes in the load: <c>xxh3(concat(tenant, '\0', event_id))</c> over UTF-8.</summary>
    internal static ulong Hash(string tenant, string eventId)
    {
        var length = Encoding.UTF8.GetMaxByteCount(tenant.Length + 1 + eventId.Length);
        var buffer = length <= 1024 ? stackalloc byte[1024] : new byte[length];
        var written = Encoding.UTF8.GetBytes(tenant, buffer);
        buffer[written++] = 0;
        written += Encoding.UTF8.GetBytes(eventId, buffer[written..]);
        return XxHash3.HashToUInt64(buffer[..written]);
    }

    /// <summary>The bit array: set bits are never cleared, and setting is atomic, so adds and look-ups need no lock.</summary>
    private sealed class Bits(long bitCount, long capacity)
    {
        private readonly long[] _words = new long[(bitCount + 63) / 64];
        private readonly ulong _bitCount = (ulong)((bitCount + 63) / 64 * 64);
        private long _added;

        public volatile bool Loaded;

        /// <summary>More ids than it was sized for: too many false positives to help.</summary>
        public bool Full => Volatile.Read(ref _added) > capacity;

        public void Add(ulong hash)
        {
            for (var i = 0; i < HashesPerId; i++)
            {
                var bit = Position(hash, i);
                Interlocked.Or(ref _words[bit >> 6], 1L << (int)(bit & 63));
            }
            Interlocked.Increment(ref _added);
        }

        public bool MayContain(ulong hash)
        {
            for (var i = 0; i < HashesPerId; i++)
            {
                var bit = Position(hash, i);
                if ((Volatile.Read(ref _words[bit >> 6]) & (1L << (int)(bit & 63))) == 0) return false;
            }
            return true;
        }

        // Two halves of one 64-bit hash combined (Kirsch and Mitzenmacher): as good as independent hashes for a Bloom filter.
        private ulong Position(ulong hash, int i) => ((hash & 0xFFFFFFFF) + (ulong)i * ((hash >> 32) | 1)) % _bitCount;
    }
}
