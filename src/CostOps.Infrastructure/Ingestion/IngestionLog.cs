using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using System.Threading.Channels;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>One request as the log keeps it: the body as received, with what is needed to prepare it again exactly as when it was answered.</summary>
/// <param name="ReceivedAt">When it was answered: the accept window is checked against this instant again when it is committed.</param>
/// <param name="Tenants">The sender's tenants (events of others are rejected), or null for a key over every tenant.</param>
/// <param name="Events">Events and rejects it held when answered: what it weighs in a commit and against the log's bound.</param>
public sealed record LoggedRequest(DateTimeOffset ReceivedAt, string Source, IReadOnlyList<string>? Tenants, ReadOnlyMemory<byte> Body, int Events);

/// <summary>
/// The durable log in front of ClickHouse for <c>Ingestion:Acknowledge=Logged</c>: an append-only file of requests, each
/// answered once its record is on disk (one <c>fsync</c> for every request that arrived while the previous one ran), and
/// committed to ClickHouse later, in large batches, by <see cref="IngestionLogCommitter"/>. A checkpoint file says how far
/// the commits got; at start-up every record past it is read back and committed again, and the exactly-once
/// machinery of a commit (ids already stored are duplicates) makes that replay count nothing twice.
/// <para>
/// Records: a 4-byte length, a CRC-32 of the body, the body. A crash can leave the last record torn; reading stops at
/// the first record whose length or checksum does not hold, and the file is cut there (nothing after it was ever
/// answered: an append is answered only after its <c>fsync</c>). Files roll over at <see cref="DefaultSegmentBytes"/>; a file
/// wholly behind the checkpoint is deleted.
/// </para>
/// </summary>
public sealed class IngestionLog : IDisposable
{
    /// <summary>A record's end: the segment file's number and the byte offset just past it.</summary>
    public readonly record struct Position(long Segment, long Offset) : IComparable<Position>
    {
        public int CompareTo(Position other) => Segment != other.Segment ? Segment.CompareTo(other.Segment) : Offset.CompareTo(other.Offset);
    }

    private sealed record Append(byte[] Record, LoggedRequest Request)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Size at which appends move to a new file (the default of <see cref="IngestionLog(string, long)"/>).</summary>
    public const long DefaultSegmentBytes = 64L * 1024 * 1024;
    private const string SegmentExtension = ".log";
    private const string CheckpointFile = "checkpoint";
    private const string IntentFile = "committing";
    private const string IdFile = "id";
    private const int HeaderBytes = 8;

    private readonly string _directory;
    private readonly Lock _lock = new();
    private readonly Queue<(LoggedRequest Request, Position End)> _uncommitted = new();
    private readonly Channel<Append> _appends = Channel.CreateUnbounded<Append>(new UnboundedChannelOptions { SingleReader = true });
    private FileStream? _segment;
    private long _segmentNumber;
    private Task? _writer;
    private long _uncommittedEvents;
    private long _uncommittedBytes;
    private long _appended;
    private long _committed;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;
    private FileStream? _lockFile;
    /// <summary>Where the committed part of the log ends (the checkpoint).</summary>
    private Position _checkpoint;
    /// <summary>The commit begun and not yet recorded as committed (by this run, or by a run that died in it).</summary>
    private CommitIntent? _intent;
    private string _id = "";
    /// <summary>The instant the newest commit of this log was stamped with (Unix ms): each next one is later (see <see cref="BeginCommit"/>).</summary>
    private long _lastCommitAtMs;

    private readonly long _segmentBytes;

    /// <param name="segmentBytes">Size at which appends move to a new file; a file is deleted once wholly committed.</param>
    public IngestionLog(string directory, long segmentBytes = DefaultSegmentBytes)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
    }

    public string Directory => _directory;

    /// <summary>Events of records on disk not yet committed to ClickHouse (the bound of <see cref="IngestionOptions.MaxLoggedEvents"/>).</summary>
    public long UncommittedEvents
    {
        get { lock (_lock) return _uncommittedEvents; }
    }

    /// <summary>
    /// Opens the log (once; later calls return at once): reads back every record past the checkpoint as uncommitted,
    /// cuts a torn last record, deletes files wholly committed, and starts a new file for appends.
    /// </summary>
    public void Open()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_segment is not null) return;
            System.IO.Directory.CreateDirectory(_directory);
            _lockFile = TakeLock();
            _id = ReadOrCreateId();
            var (checkpoint, lastCommitAtMs) = ReadCheckpoint();
            _checkpoint = checkpoint;
            // A commit a previous run began and did not record as committed: it is done again over the same records,
            // under the same identity (see BeginCommit).
            _intent = ReadIntent() is { } intent && intent.From == checkpoint ? intent : null;
            _lastCommitAtMs = Math.Max(lastCommitAtMs, _intent?.At.ToUnixTimeMilliseconds() ?? 0);
            long last = 0;
            foreach (var (number, path) in Segments())
            {
                last = Math.Max(last, number);
                // Wholly committed, or empty (a run that logged nothing): nothing to read back. Numbering still goes on from it.
                if (number < checkpoint.Segment || (number > checkpoint.Segment && new FileInfo(path).Length == 0))
                {
                    File.Delete(path);
                    continue;
                }
                ReadBack(number, path, number == checkpoint.Segment ? checkpoint.Offset : 0);
            }
            _segmentNumber = last + 1;
            _segment = NewSegment(_segmentNumber);
            _writer = Task.Run(WriteAppendsAsync);
        }
    }

    /// <summary>Writes <paramref name="request"/> to the log; returns once it is on disk (fsync'd) and will be committed, here or after a restart.</summary>
    public Task AppendAsync(LoggedRequest request)
    {
        Open();
        var append = new Append(Encode(request), request);
        if (!_appends.Writer.TryWrite(append)) throw new ObjectDisposedException(nameof(IngestionLog));
        return append.Done.Task;
    }

    /// <summary>The oldest uncommitted records, in order, up to <paramref name="maxEvents"/> events (at least one record when any), with the end of the last.</summary>
    public (List<LoggedRequest> Requests, Position End) Uncommitted(int maxEvents)
    {
        lock (_lock)
        {
            var taken = new List<LoggedRequest>();
            var (events, end) = (0, default(Position));
            foreach (var (request, position) in _uncommitted)
            {
                if (taken.Count > 0 && events + request.Events > maxEvents) break;
                taken.Add(request);
                events += request.Events;
                end = position;
            }
            return (taken, end);
        }
    }

    /// <summary>
    /// A commit of the log's oldest records, recorded before it runs: the range it covers, a token naming it, and the
    /// instant it stamps on what it writes.
    /// </summary>
    public sealed record CommitIntent(Position From, Position End, string Token, DateTimeOffset At);

    /// <summary>
    /// The records of the next commit (as <see cref="Uncommitted"/>) and its intent, written to disk before the caller
    /// commits. Until <see cref="Committed"/> records it, every call (in this run, or in the next after a crash) returns
    /// the same records under the same token and instant, so a commit that landed in part or whole and is done again
    /// writes what ClickHouse's insert deduplication recognises (<see cref="PreparedBatch.Identity"/>): the rejects and
    /// duplicates it records are not recorded twice.
    /// </summary>
    public (List<LoggedRequest> Requests, CommitIntent? Intent) BeginCommit(int maxEvents, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_intent is { } begun)
            {
                var again = _uncommitted.TakeWhile(r => r.End.CompareTo(begun.End) <= 0).Select(r => r.Request).ToList();
                if (again.Count > 0) return (again, begun);
                _intent = null;
            }
        }
        var (requests, end) = Uncommitted(maxEvents);
        if (requests.Count == 0) return (requests, null);
        lock (_lock)
        {
            var from = _checkpoint;
            // Whole milliseconds, as the intent file and ClickHouse's DateTime64(3) keep it: the same instant in every run.
            // Later than the log's previous commit (a clock stepped back, or a test's frozen one): a commit tells the ids
            // it stored itself by this instant, so no earlier commit of the log may share it.
            _lastCommitAtMs = Math.Max(now.ToUnixTimeMilliseconds(), _lastCommitAtMs + 1);
            var at = DateTimeOffset.FromUnixTimeMilliseconds(_lastCommitAtMs);
            _intent = new CommitIntent(from, end, TokenOf(from, end), at);
            WriteAside(IntentFile, $"{from.Segment} {from.Offset} {end.Segment} {end.Offset} {at.ToUnixTimeMilliseconds()}");
            return (requests, _intent);
        }
    }

    /// <summary>Bytes of the bodies not yet committed, held in memory for the commit (the bound of <see cref="IngestionOptions.MaxLoggedBytes"/>).</summary>
    public long UncommittedBytes
    {
        get { lock (_lock) return _uncommittedBytes; }
    }

    /// <summary>Bytes cut off at <see cref="Open"/>: a record torn by a crash (never answered), or one damaged on disk and what followed it.</summary>
    public long CutBytes { get; private set; }

    /// <summary>
    /// Records everything up to <paramref name="end"/> as committed: moves the checkpoint (written aside and renamed, so it
    /// is whole or old; an old one makes the next start do the commit again, under its intent) and deletes files wholly
    /// behind it.
    /// </summary>
    public void Committed(Position end)
    {
        // On disk first: if that fails, nothing changes here, and the commit is begun again with the same intent.
        long lastCommitAtMs;
        lock (_lock) lastCommitAtMs = _lastCommitAtMs;
        WriteAside(CheckpointFile, $"{end.Segment} {end.Offset} {lastCommitAtMs}");
        lock (_lock)
        {
            while (_uncommitted.TryPeek(out var first) && first.End.CompareTo(end) <= 0)
            {
                _uncommitted.Dequeue();
                _uncommittedEvents -= first.Request.Events;
                _uncommittedBytes -= first.Request.Body.Length;
                _committed++;
            }
            _checkpoint = end;
            if (_intent is { } intent && intent.End.CompareTo(end) <= 0) _intent = null;
            Signal();
        }
        // Left behind by a crash here, it names a range that no longer starts at the checkpoint, and Open ignores it.
        File.Delete(Path.Combine(_directory, IntentFile));
        foreach (var (number, path) in Segments())
        {
            if (number < end.Segment) File.Delete(path);
        }
    }

    /// <summary>Completes when a record is appended or committed (the committer's and a drain's wake-up).</summary>
    public Task Changed
    {
        get { lock (_lock) return _changed.Task; }
    }

    /// <summary>Waits until every record appended before the call is committed.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        long target;
        lock (_lock) target = _appended;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_committed >= target) return;
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The single writer: takes every append waiting, writes them, one fsync, then answers them. A failed write (disk
    /// full) fails those appends (their callers answer 503, nothing kept) and cuts what it wrote, so the file stays readable.
    /// </summary>
    private async Task WriteAppendsAsync()
    {
        var batch = new List<Append>();
        while (await _appends.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (_appends.Reader.TryRead(out var append)) batch.Add(append);
            var segment = _segment!;
            var start = segment.Position;
            var ends = new Position[batch.Count];
            try
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    segment.Write(batch[i].Record);
                    ends[i] = new Position(_segmentNumber, segment.Position);
                }
                segment.Flush(flushToDisk: true);
            }
            catch (Exception e)
            {
                try
                {
                    segment.SetLength(start);
                    segment.Position = start;
                }
                catch (IOException)
                {
                    // The file could not be cut either: later appends go to a new one, and reading this one stops at the torn record.
                    RollOver();
                }
                foreach (var append in batch) append.Done.TrySetException(e);
                continue;
            }
            lock (_lock)
            {
                for (var i = 0; i < batch.Count; i++) Track(batch[i].Request, ends[i]);
                Signal();
            }
            foreach (var append in batch) append.Done.TrySetResult();
            if (segment.Length >= _segmentBytes) RollOver();
        }
    }

    /// <summary>Counts a record on disk as uncommitted (under the lock, or while opening).</summary>
    private void Track(LoggedRequest request, Position end)
    {
        _uncommitted.Enqueue((request, end));
        _uncommittedEvents += request.Events;
        _uncommittedBytes += request.Body.Length;
        _appended++;
    }

    private void RollOver()
    {
        _segment?.Dispose();
        _segment = NewSegment(++_segmentNumber);
    }

    /// <summary>Wakes whoever waits on <see cref="Changed"/> (under the lock).</summary>
    private void Signal()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One process per log: a second would read back and commit the first one's records, and number its files alike.</summary>
    private FileStream TakeLock()
    {
        var path = Path.Combine(_directory, "lock");
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix, held until the process ends or disposes it.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"Another process uses the ingestion log in {_directory} (Ingestion:LogDirectory): give each host its own.", e);
        }
    }

    private FileStream NewSegment(long number) =>
        new(SegmentPath(number), FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);

    private string SegmentPath(long number) => Path.Combine(_directory, $"{number:D12}{SegmentExtension}");

    private IEnumerable<(long Number, string Path)> Segments() =>
        System.IO.Directory.EnumerateFiles(_directory, "*" + SegmentExtension)
            .Select(path => (Number: long.TryParse(Path.GetFileNameWithoutExtension(path), out var n) ? n : -1, Path: path))
            .Where(s => s.Number >= 0)
            .OrderBy(s => s.Number)
            .ToList();

    /// <summary>The checkpoint and the instant of the last commit (0 in a checkpoint written before commits had one).</summary>
    private (Position Checkpoint, long LastCommitAtMs) ReadCheckpoint()
    {
        var path = Path.Combine(_directory, CheckpointFile);
        if (!File.Exists(path)) return (new Position(0, 0), 0);
        var parts = File.ReadAllText(path).Split(' ');
        if (parts.Length is < 2 or > 3 || !long.TryParse(parts[0], out var segment) || !long.TryParse(parts[1], out var offset)) return (new Position(0, 0), 0);
        return (new Position(segment, offset), parts.Length == 3 && long.TryParse(parts[2], out var at) ? at : 0);
    }

    /// <summary>The intent a previous run wrote and did not clear (<see cref="BeginCommit"/>), if readable.</summary>
    private CommitIntent? ReadIntent()
    {
        var path = Path.Combine(_directory, IntentFile);
        if (!File.Exists(path)) return null;
        var parts = File.ReadAllText(path).Split(' ');
        if (parts.Length != 5 || !parts.All(p => long.TryParse(p, out _))) return null;
        var n = parts.Select(long.Parse).ToArray();
        var (from, end) = (new Position(n[0], n[1]), new Position(n[2], n[3]));
        return new CommitIntent(from, end, TokenOf(from, end), DateTimeOffset.FromUnixTimeMilliseconds(n[4]));
    }

    /// <summary>
    /// A commit's name: this log and its range. Short enough for ClickHouse's 128-character token with the suffixes a
    /// commit adds (a table's name, and a character per halving when a poison event is isolated).
    /// </summary>
    private string TokenOf(Position from, Position end) => $"log.{_id}.{from.Segment:x}.{from.Offset:x}.{end.Segment:x}.{end.Offset:x}";

    /// <summary>
    /// This log's identity, made once when its folder is first opened: it keeps commit tokens apart from those of an
    /// earlier log (a folder deleted and made again restarts positions at zero) against the same database.
    /// </summary>
    private string ReadOrCreateId()
    {
        var path = Path.Combine(_directory, IdFile);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: 12 } id && id.All(char.IsAsciiHexDigitLower)) return id;
        id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        WriteAside(IdFile, id);
        return id;
    }

    /// <summary>Writes a small file whole or not at all: aside, then renamed over the old one.</summary>
    private void WriteAside(string name, string text)
    {
        var temporary = Path.Combine(_directory, name + ".tmp");
        File.WriteAllText(temporary, text);
        File.Move(temporary, Path.Combine(_directory, name), overwrite: true);
    }

    /// <summary>Queues the records of segment <paramref name="number"/> from <paramref name="from"/> as uncommitted; cuts the file at a torn record.</summary>
    private void ReadBack(long number, string path, long from)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = from;
        while (offset + HeaderBytes <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan((int)offset));
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offset + 4));
            if (length < 0 || offset + HeaderBytes + length > bytes.Length) break;
            if (Crc32.HashToUInt32(bytes.AsSpan((int)offset + HeaderBytes, length)) != crc) break;
            var request = Decode(bytes, (int)offset + HeaderBytes, length);
            offset += HeaderBytes + length;
            Track(request, new Position(number, offset));
        }
        if (offset < bytes.Length)
        {
            CutBytes += bytes.Length - offset;
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(Math.Max(offset, from));
        }
    }

    /// <summary>The bytes of <paramref name="request"/>'s record as the log writes them.</summary>
    public static byte[] Encode(LoggedRequest request)
    {
        // The fields before the payload go through a small buffer; the payload is copied once, into the record.
        using var fields = new MemoryStream(128);
        using (var writer = new BinaryWriter(fields, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(request.ReceivedAt.ToUnixTimeMilliseconds());
            writer.Write(request.Events);
            writer.Write(request.Source);
            writer.Write(request.Tenants?.Count ?? -1);
            foreach (var tenant in request.Tenants ?? []) writer.Write(tenant);
            writer.Write(request.Body.Length);
        }
        var bodyLength = (int)fields.Length + request.Body.Length;
        var record = new byte[HeaderBytes + bodyLength];
        fields.GetBuffer().AsSpan(0, (int)fields.Length).CopyTo(record.AsSpan(HeaderBytes));
        request.Body.Span.CopyTo(record.AsSpan(HeaderBytes + (int)fields.Length));
        BinaryPrimitives.WriteInt32LittleEndian(record, bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.HashToUInt32(record.AsSpan(HeaderBytes)));
        return record;
    }

    /// <summary>The request of the record body at <paramref name="start"/> in <paramref name="file"/>; its payload stays a slice of <paramref name="file"/> (read back at start-up, committed soon after: no second copy of up to MaxLoggedBytes).</summary>
    private static LoggedRequest Decode(byte[] file, int start, int length)
    {
        using var reader = new BinaryReader(new MemoryStream(file, start, length, writable: false), Encoding.UTF8);
        var receivedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
        var events = reader.ReadInt32();
        var source = reader.ReadString();
        var tenantCount = reader.ReadInt32();
        List<string>? tenants = tenantCount < 0 ? null : Enumerable.Range(0, tenantCount).Select(_ => reader.ReadString()).ToList();
        var payloadLength = reader.ReadInt32();
        var payload = file.AsMemory(start + (int)reader.BaseStream.Position, payloadLength);
        return new LoggedRequest(receivedAt, source, tenants, payload, events);
    }

    /// <summary>Lets the appends already handed over finish (their fsync), then closes the file.</summary>
    public void Dispose()
    {
        _appends.Writer.TryComplete();
        _writer?.GetAwaiter().GetResult();
        lock (_lock)
        {
            _disposed = true;
            _segment?.Dispose();
            _segment = null;
            _lockFile?.Dispose();
            _lockFile = null;
        }
    }
}
