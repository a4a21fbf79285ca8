using System.Text;
using CostOps.Infrastructure.Ingestion;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>The durable log of <c>Ingestion:Acknowledge=Logged</c> on a real disk: what is answered is read back after a restart, whatever the crash left.</summary>
public sealed class IngestionLogTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(TestEnvironment.StateDirectory, TestEnvironment.UniqueName("log-"));

    private static LoggedRequest Request(int n, IReadOnlyList<string>? tenants = null) =>
        new(Now.AddMilliseconds(n), $"source-{n}", tenants, Encoding.UTF8.GetBytes($"{{\"event_id\":\"e{n}\"}}"), n + 1);

    private static string Text(LoggedRequest r) => $"{r.ReceivedAt:O}|{r.Source}|{(r.Tenants is null ? "*" : string.Join(',', r.Tenants))}|{Encoding.UTF8.GetString(r.Body.Span)}|{r.Events}";

    private List<string> ReadBack()
    {
        using var log = new IngestionLog(_directory);
        log.Open();
        return log.Uncommitted(int.MaxValue).Requests.Select(Text).ToList();
    }

    [Fact]
    public async Task Every_answered_append_is_read_back_after_a_restart_in_order_with_its_fields()
    {
        using (var log = new IngestionLog(_directory))
        {
            // Concurrent callers, as requests arrive: each is answered only once its record is on disk.
            await Task.WhenAll(Enumerable.Range(0, 200).Select(n => Task.Run(() => log.AppendAsync(Request(n, n % 2 == 0 ? null : ["a", $"t{n}"])))));
            Assert.Equal(Enumerable.Range(0, 200).Sum(n => n + 1), log.UncommittedEvents);
        }

        var read = ReadBack();
        Assert.Equal(200, read.Count);
        Assert.Equal(Enumerable.Range(0, 200).Select(n => Text(Request(n, n % 2 == 0 ? null : ["a", $"t{n}"]))).Order(), read.Order());
    }

    [Fact]
    public async Task Committed_records_are_not_read_back_and_the_rest_are()
    {
        using (var log = new IngestionLog(_directory))
        {
            for (var n = 0; n < 5; n++) await log.AppendAsync(Request(n));
            var (first, end) = log.Uncommitted(maxEvents: 3);
            // Up to 3 events: requests 0 (1 event) and 1 (2 events).
            Assert.Equal(["source-0", "source-1"], first.Select(r => r.Source));
            log.Committed(end);
            Assert.Equal(3 + 4 + 5, log.UncommittedEvents);
        }

        Assert.Equal([Text(Request(2)), Text(Request(3)), Text(Request(4))], ReadBack());
    }

    [Fact]
    public async Task A_torn_last_record_is_cut_and_what_was_answered_before_it_is_kept()
    {
        using (var log = new IngestionLog(_directory))
        {
            for (var n = 0; n < 3; n++) await log.AppendAsync(Request(n));
        }
        // A crash in the middle of the next write: half a record at the end of the file.
        var segment = Directory.GetFiles(_directory, "*.log").Single();
        var torn = IngestionLog.Encode(Request(3));
        await using (var file = new FileStream(segment, FileMode.Append)) file.Write(torn.AsSpan(0, torn.Length / 2));
        var lengthWithTear = new FileInfo(segment).Length;

        Assert.Equal([Text(Request(0)), Text(Request(1)), Text(Request(2))], ReadBack());
        Assert.True(new FileInfo(segment).Length < lengthWithTear, "the torn record is cut off");

        // The cut leaves the log readable: what is appended next is read back after the three.
        using (var log = new IngestionLog(_directory)) await log.AppendAsync(Request(4));
        Assert.Equal([Text(Request(0)), Text(Request(1)), Text(Request(2)), Text(Request(4))], ReadBack());
    }

    [Fact]
    public async Task A_record_whose_bytes_changed_on_disk_ends_the_readable_log_there()
    {
        using (var log = new IngestionLog(_directory))
        {
            for (var n = 0; n < 3; n++) await log.AppendAsync(Request(n));
        }
        var segment = Directory.GetFiles(_directory, "*.log").Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        var second = IngestionLog.Encode(Request(0)).Length;
        bytes[second + 12] ^= 0xFF; // a byte of the second record's body
        await File.WriteAllBytesAsync(segment, bytes);

        Assert.Equal([Text(Request(0))], ReadBack());
    }

    [Fact]
    public async Task Files_roll_over_and_a_file_wholly_committed_is_deleted_while_the_rest_is_read_back()
    {
        using (var log = new IngestionLog(_directory, segmentBytes: 100))
        {
            // Each record is over 100 bytes with its header and fields, so every append ends a file.
            for (var n = 0; n < 6; n++) await log.AppendAsync(Request(n) with { Body = new byte[120] });
            Assert.Equal(7, Directory.GetFiles(_directory, "*.log").Length); // six full files and the next one
            var (first, end) = log.Uncommitted(maxEvents: 1 + 2 + 3);
            Assert.Equal(3, first.Count);
            log.Committed(end);
            // The files of requests 0 and 1 are behind the checkpoint; request 2's holds it.
            Assert.Equal(5, Directory.GetFiles(_directory, "*.log").Length);
        }

        Assert.Equal(["source-3", "source-4", "source-5"], ReadBack().Select(t => t.Split('|')[1]));
        // Restarts that log nothing leave no empty files behind: the checkpoint's file, three of records and the current one.
        for (var restart = 0; restart < 3; restart++) ReadBack();
        Assert.Equal(5, Directory.GetFiles(_directory, "*.log").Length);
    }

    [Fact]
    public void A_second_log_on_the_same_folder_is_refused_while_the_first_is_open()
    {
        using var first = new IngestionLog(_directory);
        first.Open();
        using var second = new IngestionLog(_directory);
        var refused = Assert.Throws<IOException>(second.Open);
        Assert.Contains("Another process uses the ingestion log", refused.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
