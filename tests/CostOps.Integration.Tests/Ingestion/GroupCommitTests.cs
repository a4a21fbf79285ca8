using System.Text;
using CostOps.Infrastructure.Ingestion;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>
/// <see cref="GroupCommit"/> over the real handler and ClickHouse. The first write of each test is held at a gate, so
/// what queues behind it is known: the callers that arrive while it runs are joined into the next write.
/// </summary>
public sealed class GroupCommitTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static string Line(string id, string tenant, string model = "gpt-4o") =>
        $$"""{"event_id":"{{id}}","timestamp":"2026-11-28T10:00:00Z","tenant":"{{tenant}}","provider":"openai","model":"{{model}}","input_tokens":1000,"output_tokens":100}""";

    private PreparedBatch Prepare(params string[] lines) =>
        fixture.Handler.Prepare([Encoding.UTF8.GetBytes(string.Join('\n', lines))]);

    /// <summary>A group commit whose first write waits for <c>release</c>; every write goes to the real handler.</summary>
    private (GroupCommit Commits, TaskCompletionSource Release, TaskCompletionSource FirstStarted, List<int> WriteSizes) Gated(int maxQueuedEvents = 1_000, int commitWindowMilliseconds = 10)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sizes = new List<int>();
        var commits = new GroupCommit(async (batch, source) =>
        {
            lock (sizes) sizes.Add(batch.Events.Count + batch.Rejects.Count);
            firstStarted.TrySetResult();
            await release.Task;
            return await fixture.Handler.WriteIsolatingAsync(batch, source, deferRollups: false, CancellationToken.None);
        }, new IngestionOptions { MaxQueuedEvents = maxQueuedEvents, CommitWindowMilliseconds = commitWindowMilliseconds });
        return (commits, release, firstStarted, sizes);
    }

    private async Task<string> StoredAsync(string tenant)
    {
        await fixture.Rollups.RefreshPendingAsync();
        return await fixture.ClickHouse.QueryAsync(
            $"SELECT count(), (SELECT sum(requests) FROM spend_hourly FINAL WHERE tenant = '{tenant}') FROM usage_events FINAL WHERE tenant = '{tenant}'", "TSV");
    }

    [Fact]
    public async Task Callers_waiting_behind_a_write_share_the_next_one_and_each_hears_only_its_own_events()
    {
        var (commits, release, firstStarted, sizes) = Gated();
        var first = commits.CommitAsync(Prepare(Line("j-0", "join")), "http", CancellationToken.None);
        await firstStarted.Task;
        // Queued while the first write runs: B sends two events, C a bad one, B's second event again (a racing retry)
        // and one of its own.
        var b = commits.CommitAsync(Prepare(Line("j-1", "join"), Line("j-2", "join")), "http", CancellationToken.None);
        var c = commits.CommitAsync(Prepare("{\"event_id\":\"bad\"}", Line("j-2", "join"), Line("j-3", "join", "gpt-4o-mini")), "eventhubs:1", CancellationToken.None);
        release.SetResult();
        var (sa, sb, sc) = (await first, await b, await c);

        Assert.Equal([1, 5], sizes);
        Assert.Equal((1, 0, 0), (sa.Accepted, sa.Duplicates, sa.Rejected));
        Assert.Equal((2, 0, 0), (sb.Accepted, sb.Duplicates, sb.Rejected));
        Assert.Equal(["accepted", "accepted"], sb.Outcomes.OrderBy(o => o.Index).Select(o => o.Status));
        Assert.Equal((1, 1, 1), (sc.Accepted, sc.Duplicates, sc.Rejected));
        // C's outcomes are numbered as C sent them: payload 0, lines 0 to 2.
        Assert.Equal([(0, 0, "rejected"), (0, 1, "duplicate"), (0, 2, "accepted")],
            sc.Outcomes.OrderBy(o => o.Index).Select(o => (o.Payload, o.Index, o.Status)));
        Assert.Equal("4\t4\n", await StoredAsync("join"));
        // Each source is recorded as its own: C's reject and duplicate under C's source.
        Assert.Equal("1\t1\n", await fixture.ClickHouse.QueryAsync(
            "SELECT (SELECT count() FROM ingest_rejects WHERE source = 'eventhubs:1'), (SELECT count() FROM ingest_duplicates WHERE source = 'eventhubs:1' AND event_id = 'j-2')", "TSV"));
        Assert.Equal("1\t3\n", await fixture.ClickHouse.QueryAsync(
            "SELECT countIf(source = 'eventhubs:1'), countIf(source = 'http') FROM usage_events FINAL WHERE tenant = 'join'", "TSV"));
    }

    [Fact]
    public async Task A_free_writer_waits_for_the_callers_it_answered_to_come_back_and_no_longer()
    {
        // A window far longer than the test: only callers arriving can end a wait.
        var (commits, release, firstStarted, sizes) = Gated(commitWindowMilliseconds: 600_000);
        // The first commit expects nobody: a lone caller is written at once (it would otherwise wait ten minutes).
        var first = commits.CommitAsync(Prepare(Line("w-0", "window")), "http", CancellationToken.None);
        await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var beside = new[]
        {
            commits.CommitAsync(Prepare(Line("w-1", "window")), "http", CancellationToken.None),
            commits.CommitAsync(Prepare(Line("w-2", "window")), "http", CancellationToken.None),
        };
        release.SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(60));

        // One caller answered, two waited beside it: the writer holds those two for the answered one's next call, which
        // ends the wait at once.
        await Task.Delay(200);
        Assert.All(beside, t => Assert.False(t.IsCompleted));
        var back = commits.CommitAsync(Prepare(Line("w-3", "window")), "http", CancellationToken.None);
        await Task.WhenAll(beside.Append(back)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal([1, 3], sizes);
        Assert.Equal("4\t4\n", await StoredAsync("window"));
    }

    [Fact]
    public async Task Past_the_queue_depth_a_caller_is_refused_and_nothing_of_it_is_kept()
    {
        var (commits, release, firstStarted, _) = Gated(maxQueuedEvents: 2);
        // Larger than the limit, but the queue is empty: taken (and written alone).
        var first = commits.CommitAsync(Prepare(Line("q-0", "queue"), Line("q-1", "queue"), Line("q-2", "queue")), "http", CancellationToken.None);
        await firstStarted.Task;
        var queued = new[]
        {
            commits.CommitAsync(Prepare(Line("q-3", "queue")), "http", CancellationToken.None),
            commits.CommitAsync(Prepare(Line("q-4", "queue")), "http", CancellationToken.None),
        };
        Assert.Equal(2, commits.QueuedEvents);

        var refused = await Assert.ThrowsAsync<IngestionBusyException>(() => commits.CommitAsync(Prepare(Line("q-5", "queue")), "http", CancellationToken.None));
        Assert.Equal(2, refused.QueuedEvents);
        release.SetResult();
        Assert.Equal(3, (await first).Accepted);
        Assert.All(await Task.WhenAll(queued), s => Assert.Equal(1, s.Accepted));

        Assert.Equal("5\t5\n", await StoredAsync("queue"));
        Assert.Equal(0, commits.QueuedEvents);
        // Once the queue has room again, the refused event's retry lands.
        Assert.Equal(1, (await commits.CommitAsync(Prepare(Line("q-5", "queue")), "http", CancellationToken.None)).Accepted);
        Assert.Equal("6\t6\n", await StoredAsync("queue"));
    }

    [Fact]
    public async Task A_failed_write_is_reported_to_every_caller_it_joined()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writes = 0;
        var commits = new GroupCommit(async (_, _) =>
        {
            if (Interlocked.Increment(ref writes) == 1)
            {
                started.SetResult();
                await release.Task;
                return new IngestSummary();
            }
            throw new InvalidOperationException("storage is down");
        }, new IngestionOptions());
        var first = commits.CommitAsync(Prepare(Line("f-0", "fail")), "http", CancellationToken.None);
        await started.Task;
        var joined = new[]
        {
            commits.CommitAsync(Prepare(Line("f-1", "fail")), "http", CancellationToken.None),
            commits.CommitAsync(Prepare(Line("f-2", "fail")), "http", CancellationToken.None),
        };
        release.SetResult();
        await first;

        foreach (var caller in joined) Assert.Equal("storage is down", (await Assert.ThrowsAsync<InvalidOperationException>(() => caller)).Message);
        Assert.Equal(2, writes);
    }
}
