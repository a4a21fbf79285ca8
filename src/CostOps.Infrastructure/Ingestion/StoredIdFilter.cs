using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.Logging;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>
/// Which of a commit's events are certainly not stored, without asking ClickHouse: a Bloom filter over every identity
/// (tenant, event id) in <c>usage_event_ids</c>, loaded once from the table and kept current by the commits themselves.
/// The duplicate check then looks up only the events the filter cannot rule out (a few in a thousand new ones, and the real
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
    /// <summary>Ids per page of the load, at most (32 MB of hashes). Any size loads the same ids; a test makes it small to load in pages.</summary>
    internal static long PageIds = 4_000_000;

    /// <summary>
    /// Bits per id the filter is sized for: about 0.1-0.2 % false positives when full. At 10 bits (about 1 %) a bulk load
    /// still looked up 200 of each 20,000 new ids, which cost most of what the look-up of all of them did.
    /// </summary>
    private const int BitsPerId = 16;

    /// <summary>Ids a filter has room for at least (4 MB), so a young table's filter rules out nearly every new id.</summary>
    private const long MinCapacity = 2_000_000;

    /// <summary>Beyond this many ids the filter is not loaded (it would take 200 MB): the duplicate check asks ClickHouse alone.</summary>
    public const long MaxIds = 50_000_000;

    /// <summary>
    /// The filter of each database, held weakly: every handler on a database holds it, so it lives while one of them
    /// does, and a database no handler writes any more (a test's, a bench's) does not keep its bits for the process's life.
    /// </summary>
    private static readonly Dictionary<string, WeakReference<StoredIdFilter>> PerDatabase = [];

    private readonly EmbeddedClickHouse _clickHouse;
    private readonly SqlCatalog _catalog;
    private readonly ILogger? _logger;
    private readonly Lock _lock = new();

    /// <summary>Ids added before the bits exist (the load is sizing them); moved into them when they are published.</summary>
    private readonly Queue<ulong> _journal = new();
    private Bits? _bits;
    private Task? _loading;
    private volatile bool _disabled;

    private StoredIdFilter(EmbeddedClickHouse clickHouse, SqlCatalog catalog, ILogger? logger)
    {
        _clickHouse = clickHouse;
        _catalog = catalog;
        _logger = logger;
    }

    /// <summary>
    /// The filter of <paramref name="clickHouse"/>'s database, when it can be exact (the embedded engine); else null.
    /// Every handler takes it when it is made, before its first commit, so that no id it writes is missed.
    /// </summary>
    public static StoredIdFilter? For(IClickHouse clickHouse, SqlCatalog catalog, ILogger? logger = null)
    {
        if (clickHouse is not EmbeddedClickHouse embedded) return null;
        var key = $"{Path.GetFullPath(embedded.Engine.DataPath)}\n{embedded.Database}";
        lock (PerDatabase)
        {
            if (PerDatabase.TryGetValue(key, out var held) && held.TryGetTarget(out var existing)) return existing;
            // A new filter loads from the table, which holds every id the collected one's handlers wrote.
            foreach (var name in PerDatabase.Where(p => !p.Value.TryGetTarget(out _)).Select(p => p.Key).ToList()) PerDatabase.Remove(name);
            var created = new StoredIdFilter(embedded, catalog, logger);
            PerDatabase[key] = new WeakReference<StoredIdFilter>(created);
            return created;
        }
    }

    /// <summary>How long the load took, once it finished.</summary>
    public TimeSpan? LoadTime { get; private set; }

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
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var count = long.Parse((await _clickHouse.QueryAsync(_catalog.Get(SqlNames.Ingest.CountStoredIds), "TSV")).Trim(), CultureInfo.InvariantCulture);
            if (count > MaxIds)
            {
                Disable($"{count} ids are stored, more than {MaxIds}");
                return;
            }
            // Room for the table to double in this process (a full filter rules out too few to help).
            var capacity = Math.Max(MinCapacity, count * 2);
            var bits = new Bits(capacity * BitsPerId, capacity);
            lock (_lock)
            {
                // Published before the first page is read: every id written from here on is added to it, so an id
                // stored after its page was read is not missed; those added before it are in the journal.
                while (_journal.TryDequeue(out var hash)) bits.Add(hash);
                Volatile.Write(ref _bits, bits);
            }
            var pages = (ulong)Math.Max(1, (count + PageIds - 1) / PageIds);
            for (var page = 0UL; page < pages; page++)
            {
                var hashes = _clickHouse.Engine.Query(_clickHouse.Database, Encoding.UTF8.GetBytes(_catalog.Get(SqlNames.Ingest.StoredIdsPage)), "RowBinary",
                    new QueryParameters { { "pages", pages }, { "page", page } });
                foreach (var hash in MemoryMarshal.Cast<byte, ulong>(hashes)) bits.Add(BitConverter.IsLittleEndian ? hash : BinaryPrimitives.ReverseEndianness(hash));
            }
            LoadTime = clock.Elapsed;
            bits.Loaded = true;
            _logger?.LogInformation("Stored-id filter loaded: {Count} ids in {Seconds:F1} s; the duplicate check asks ClickHouse only for events it cannot rule out",
                count, clock.Elapsed.TotalSeconds);
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

    /// <summary>
    /// A split-block Bloom filter (as Parquet's): an id sets one bit in each of the eight words of one 64-byte block, so
    /// an add or a look-up touches one cache line instead of seven scattered ones (a plain filter made the load of
    /// 5,000,000 ids take 10 s, nearly all of it cache misses). Set bits are never cleared and setting is atomic, so adds
    /// and look-ups need no lock.
    /// </summary>
    private sealed class Bits(long bitCount, long capacity)
    {
        private static readonly uint[] Salts = [0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU, 0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U];

        private readonly long[] _words = new long[Math.Max(1, (bitCount + 511) / 512) * 8];
        private long _added;

        public volatile bool Loaded;

        /// <summary>More ids than it was sized for: too many false positives to help.</summary>
        public bool Full => Volatile.Read(ref _added) > capacity;

        public void Add(ulong hash)
        {
            var block = Block(hash);
            for (var i = 0; i < 8; i++) Interlocked.Or(ref _words[block + i], Bit(hash, i));
            Interlocked.Increment(ref _added);
        }

        public bool MayContain(ulong hash)
        {
            var block = Block(hash);
            for (var i = 0; i < 8; i++)
            {
                if ((Volatile.Read(ref _words[block + i]) & Bit(hash, i)) == 0) return false;
            }
            return true;
        }

        // The high half picks the block, the low half the bit in each of its words.
        private long Block(ulong hash) => (long)(((hash >> 32) * (ulong)(_words.Length / 8)) >> 32) * 8;

        private static long Bit(ulong hash, int word) => 1L << (int)(((uint)hash * Salts[word]) >> 26);
    }
}
