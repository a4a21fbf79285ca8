using System.Globalization;
using System.Text;
using System.Text.Json;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.Ingestion;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>
/// <c>Ingestion:Acknowledge=Logged</c> on real chDB and a real disk: requests are answered from the durable log before
/// ClickHouse has them, and every answered event is counted exactly once, across retries, restarts and a crash between
/// a commit and its checkpoint.
/// </summary>
public sealed class LoggedIngestionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly string _logDirectory = Path.Combine(TestEnvironment.StateDirectory, TestEnvironment.UniqueName("ingest-log-"));
    private CostOpsTestHost _host = null!;

    private Dictionary<string, string?> Settings(int maxEventAgeDays = 400, long maxLogged = 200_000, long maxLoggedBytes = 256L << 20) => new()
    {
        ["Ingestion:MaxLoggedBytes"] = maxLoggedBytes.ToString(CultureInfo.InvariantCulture),
        ["Ingestion:Acknowledge"] = "Logged",
        ["Ingestion:LogDirectory"] = _logDirectory,
        ["Ingestion:MaxEventAgeDays"] = maxEventAgeDays.ToString(CultureInfo.InvariantCulture),
        ["Ingestion:MaxLoggedEvents"] = maxLogged.ToString(CultureInfo.InvariantCulture),
    };

    public async Task InitializeAsync() => _host = await CostOpsTestHost.StartAsync(time: _time, settings: Settings());

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        if (Directory.Exists(_logDirectory)) Directory.Delete(_logDirectory, recursive: true);
    }

    /// <summary>A second host on the same database, tables and log folder: the same installation started again.</summary>
    private CostOpsTestHost Restarted(int maxEventAgeDays = 400) =>
        CostOpsTestHost.Beside(_host.ClickHouse.Database, _host.Tables.Prefix, _time, Settings(maxEventAgeDays));

    private static string Line(string id, DateTimeOffset? at = null) =>
        $$"""{"event_id":"{{id}}","timestamp":"{{(at ?? Now.AddMinutes(-30)):O}}","tenant":"logged","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}""";

    private static byte[] Body(params string[] lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines));

    /// <summary>Requests and cost of tenant "logged" as the spend routes read them (rollups refreshed first).</summary>
    private static async Task<string> SpendAsync(CostOpsTestHost host)
    {
        await host.Get<SpendRollups>().RefreshPendingAsync();
        return await host.ClickHouse.QueryAsync("SELECT sum(requests), sum(cost_usd) FROM spend_hourly FINAL WHERE tenant = 'logged'", "TSV");
    }

    private static async Task<string> StoredEventsAsync(CostOpsTestHost host) =>
        await host.ClickHouse.QueryAsync("SELECT count() FROM usage_events FINAL WHERE tenant = 'logged'", "TSV");

    [Fact]
    public async Task A_request_is_answered_202_from_the_log_before_ClickHouse_has_it_and_counted_once_across_retries()
    {
        var api = _host.Get<UsageApi>();
        var body = Body(Line("l-1"), Line("l-2"), """{"event_id":"bad","tenant":"logged"}""", Line("l-1"));

        var first = await api.IngestAsync(body, "logged-test", CancellationToken.None);
        Assert.Equal(202, first.Status);
        var answer = JsonDocument.Parse(first.Json!).RootElement;
        // What is known without ClickHouse is final: the reject with its reason and the repeat within the request.
        Assert.Equal((2, 1, 1), (answer.GetProperty("accepted").GetInt32(), answer.GetProperty("rejected").GetInt32(), answer.GetProperty("duplicates").GetInt32()));
        Assert.Equal(["accepted", "accepted", "rejected", "duplicate"], answer.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("0\n", await StoredEventsAsync(_host));

        // The producer lost the answer and sends the same request again: answered the same way, from the log.
        Assert.Equal(202, (await api.IngestAsync(body, "logged-test", CancellationToken.None)).Status);
        var logged = _host.Get<LoggedIngestion>();
        Assert.Equal(2, await logged.CommitUncommittedAsync(CancellationToken.None));

        Assert.Equal(0, logged.Log!.UncommittedEvents);
        Assert.Equal("2\n", await StoredEventsAsync(_host));
        // gpt-4o: 1,000 x $2.50/M + 100 x $10/M = $0.0035 per event, each counted once.
        Assert.Equal("2\t0.007\n", await SpendAsync(_host));
        // Both attempts' rejects are recorded with their reason, as when answered from ClickHouse.
        Assert.Equal("2\n", await _host.ClickHouse.QueryAsync("SELECT count() FROM ingest_rejects WHERE source = 'logged-test' AND reason != ''", "TSV"));
    }

    [Fact]
    public async Task What_a_host_logged_and_never_committed_is_committed_by_the_next_start_and_a_replay_counts_nothing_twice()
    {
        var logged = _host.Get<LoggedIngestion>();
        for (var n = 0; n < 3; n++) await logged.HandleAsync(Body(Line($"r-{n}")), "restart-test", null, CancellationToken.None);
        // The host stops (or dies) before any commit: the records are only on disk.
        logged.Dispose();
        Assert.Equal("0\n", await StoredEventsAsync(_host));

        await using (var second = Restarted())
        {
            var again = second.Get<LoggedIngestion>();
            again.Log!.Open();
            Assert.Equal(3, again.Log.UncommittedEvents);
            Assert.Equal(3, await again.CommitUncommittedAsync(CancellationToken.None));
            Assert.Equal("3\t0.0105\n", await SpendAsync(second));
        }

        // A crash after the commit, before the checkpoint moved: the next start commits the same records again.
        File.Delete(Path.Combine(_logDirectory, "checkpoint"));
        await using var third = Restarted();
        var replaying = third.Get<LoggedIngestion>();
        replaying.Log!.Open();
        Assert.Equal(3, replaying.Log.UncommittedEvents);
        Assert.Equal(3, await replaying.CommitUncommittedAsync(CancellationToken.None));
        Assert.Equal("3\n", await StoredEventsAsync(third));
        Assert.Equal("3\t0.0105\n", await SpendAsync(third));
    }

    private async Task<string> CountAsync(string table, string source) =>
        (await _host.ClickHouse.QueryAsync($"SELECT count() FROM {table} WHERE source = {{source:String}}", "TSV", new() { { "source", source } })).Trim();

    [Fact]
    public async Task A_commit_done_again_after_a_crash_before_its_checkpoint_records_its_rejects_and_duplicates_once()
    {
        const string source = "crash-test";
        var logged = _host.Get<LoggedIngestion>();
        await logged.HandleAsync(Body(Line("c-0")), source, null, CancellationToken.None);
        Assert.Equal(1, await logged.CommitUncommittedAsync(CancellationToken.None));
        // Then a new event with a reject beside it, and a copy of the stored one (a real duplicate).
        await logged.HandleAsync(Body(Line("c-1"), """{"event_id":"bad-c","tenant":"logged"}"""), source, null, CancellationToken.None);
        await logged.HandleAsync(Body(Line("c-0")), source, null, CancellationToken.None);

        // The commit lands whole, then its checkpoint cannot be written: the host dies there.
        var blocked = Path.Combine(_logDirectory, "checkpoint.tmp");
        Directory.CreateDirectory(blocked);
        await Assert.ThrowsAnyAsync<Exception>(() => logged.CommitUncommittedAsync(CancellationToken.None));
        Directory.Delete(blocked);
        logged.Dispose();
        Assert.Equal(("1", "1"), (await CountAsync("ingest_rejects", source), await CountAsync("ingest_duplicates", source)));

        // The next start, a while later, commits the same two records again, under the same intent.
        _time.Advance(TimeSpan.FromSeconds(30));
        await using var restarted = Restarted();
        var again = restarted.Get<LoggedIngestion>();
        again.Log!.Open();
        Assert.Equal(2, await again.CommitUncommittedAsync(CancellationToken.None));

        // Recorded once each: the reject, and the copy of c-0; c-1 (stored by the first run) is no duplicate of itself.
        Assert.Equal(("1", "1"), (await CountAsync("ingest_rejects", source), await CountAsync("ingest_duplicates", source)));
        Assert.Equal("c-0\n", await _host.ClickHouse.QueryAsync("SELECT event_id FROM ingest_duplicates WHERE source = 'crash-test'", "TSV"));
        Assert.Equal("2\t0.007\n", await SpendAsync(restarted));
    }

    [Fact]
    public async Task The_accept_window_is_checked_as_of_receipt_not_as_of_the_commit()
    {
        await using var host = await CostOpsTestHost.StartAsync(time: _time, settings: Settings(maxEventAgeDays: 1));
        var logged = host.Get<LoggedIngestion>();
        // One minute inside the one-day window when it arrives; ten minutes outside it when committed.
        var summary = await logged.HandleAsync(Body(Line("edge", Now.AddDays(-1).AddMinutes(1))), "window-test", null, CancellationToken.None);
        Assert.Equal(1, summary.Accepted);
        _time.Advance(TimeSpan.FromMinutes(10));

        await logged.CommitUncommittedAsync(CancellationToken.None);
        Assert.Equal("1\n", await StoredEventsAsync(host));
    }

    [Fact]
    public async Task Past_its_bound_the_log_refuses_with_503_and_Retry_After_and_keeps_nothing_of_the_request()
    {
        await using var host = await CostOpsTestHost.StartAsync(time: _time, settings: Settings(maxLogged: 2));
        var api = host.Get<UsageApi>();
        Assert.Equal(202, (await api.IngestAsync(Body(Line("b-1")), "busy-test", CancellationToken.None)).Status);

        var refused = await api.IngestAsync(Body(Line("b-2"), Line("b-3")), "busy-test", CancellationToken.None);
        Assert.Equal(503, refused.Status);
        Assert.Equal(ApiProblem.IngestionBusy.Type, JsonDocument.Parse(refused.Json!).RootElement.GetProperty("type").GetString());
        Assert.NotNull(refused.RetryAfterSeconds);

        var logged = host.Get<LoggedIngestion>();
        Assert.Equal(1, await logged.CommitUncommittedAsync(CancellationToken.None));
        Assert.Equal("1\n", await StoredEventsAsync(host));
        // Committed, the log has room again: the retry is taken.
        Assert.Equal(202, (await api.IngestAsync(Body(Line("b-2"), Line("b-3")), "busy-test", CancellationToken.None)).Status);

        // A full log is a failed readiness check (a load balancer sends the traffic elsewhere) until it is committed.
        var health = host.Get<HealthApi>();
        var full = await health.CheckAsync(details: true, CancellationToken.None);
        Assert.Equal(503, full.Status);
        var ingestion = JsonDocument.Parse(full.Json!).RootElement.GetProperty("checks").GetProperty("ingestion");
        Assert.Equal(("unavailable", 2), (ingestion.GetProperty("status").GetString(), ingestion.GetProperty("log_uncommitted_events").GetInt32()));
        Assert.Equal(1, await logged.CommitUncommittedAsync(CancellationToken.None));
        Assert.Equal(200, (await health.CheckAsync(details: true, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Past_its_bound_in_bytes_the_log_refuses_however_few_events_it_holds()
    {
        await using var host = await CostOpsTestHost.StartAsync(time: _time, settings: Settings(maxLoggedBytes: 1 << 20));
        var api = host.Get<UsageApi>();
        // About 640 KB each: two hold fewer events than MaxLoggedEvents, but more bytes than the 1 MB allowed.
        byte[] Large(string prefix) => Body(Enumerable.Range(0, 4_000).Select(i => Line($"{prefix}-{i}")).ToArray());
        Assert.Equal(202, (await api.IngestAsync(Large("big-a"), "bytes-test", CancellationToken.None)).Status);
        Assert.Equal(503, (await api.IngestAsync(Large("big-b"), "bytes-test", CancellationToken.None)).Status);

        Assert.Equal(1, await host.Get<LoggedIngestion>().CommitUncommittedAsync(CancellationToken.None));
        Assert.Equal(202, (await api.IngestAsync(Large("big-b"), "bytes-test", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task The_committer_commits_within_its_interval_and_at_shutdown_commits_what_is_left()
    {
        var logged = _host.Get<LoggedIngestion>();
        var committer = new IngestionLogCommitter(logged, Options.Create(new IngestionOptions { LogCommitIntervalMilliseconds = 50 }),
            NullLogger<IngestionLogCommitter>.Instance);
        await committer.StartAsync(CancellationToken.None);
        await logged.HandleAsync(Body(Line("c-1")), "committer-test", null, CancellationToken.None);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30))) await logged.Log!.DrainAsync(timeout.Token);
        Assert.Equal("1\n", await StoredEventsAsync(_host));
        await committer.StopAsync(CancellationToken.None);

        // An interval far longer than the test: only the shutdown commits.
        var slow = new IngestionLogCommitter(logged, Options.Create(new IngestionOptions { LogCommitIntervalMilliseconds = 60_000 }),
            NullLogger<IngestionLogCommitter>.Instance);
        await slow.StartAsync(CancellationToken.None);
        await logged.HandleAsync(Body(Line("c-2")), "committer-test", null, CancellationToken.None);
        await slow.StopAsync(CancellationToken.None);
        Assert.Equal(0, logged.Log.UncommittedEvents);
        Assert.Equal("2\t0.007\n", await SpendAsync(_host));
    }
}
