using System.Text;
using System.Text.Json;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.Ingestion;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CostOps.Integration.Tests.Ingestion;

public sealed class UsageApiTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private UsageApi Api(int maxBody = 1 << 20) =>
        new(fixture.Handler, Options.Create(new IngestionOptions { MaxBodyBytes = maxBody }), NullLogger<UsageApi>.Instance);

    [Fact]
    public async Task A_mixed_batch_answers_200_with_a_result_per_event()
    {
        var body = Encoding.UTF8.GetBytes(
            "{\"event_id\":\"api-1\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"tenant\":\"api\",\"model\":\"gpt-4o\",\"input_tokens\":10,\"output_tokens\":5}\n" +
            "{\"event_id\":\"api-2\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"tenant\":\"api\",\"model\":\"gpt-4o\",\"input_tokens\":-1,\"output_tokens\":5}\n" +
            "{\"event_id\":\"api-1\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"tenant\":\"api\",\"model\":\"gpt-4o\",\"input_tokens\":10,\"output_tokens\":5}\n");

        var result = await Api().IngestAsync(body, "http", CancellationToken.None);

        Assert.Equal(200, result.Status);
        using var json = JsonDocument.Parse(result.Json!);
        var statuses = json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList();
        Assert.Equal(["accepted", "rejected", "duplicate"], statuses);
        Assert.Equal("input_tokens_negative", json.RootElement.GetProperty("results")[1].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_batch_with_nothing_valid_answers_400()
    {
        var result = await Api().IngestAsync(Encoding.UTF8.GetBytes("not json"), "http", CancellationToken.None);
        Assert.Equal(400, result.Status);
        Assert.Contains("payload_not_json", result.Json);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_without_reading_it_all()
    {
        var api = Api(maxBody: 1_024);
        var (_, declared) = await api.ReadBodyAsync(new MemoryStream(new byte[10]), contentLength: 5_000, CancellationToken.None);
        var (_, streamed) = await api.ReadBodyAsync(new MemoryStream(new byte[5_000]), contentLength: null, CancellationToken.None);
        var (body, fine) = await api.ReadBodyAsync(new MemoryStream(new byte[1_000]), contentLength: null, CancellationToken.None);

        Assert.Equal(413, declared!.Status);
        Assert.Equal(413, streamed!.Status);
        Assert.Null(fine);
        Assert.Equal(1_000, body!.Length);
    }

    private const string NoRollupTotals = "SELECT (SELECT count() FROM usage_events FINAL WHERE tenant = {tenant:String}), (SELECT sum(requests) FROM spend_hourly FINAL WHERE tenant = {tenant:String}), (SELECT sum(requests) FROM spend_daily FINAL WHERE tenant = {tenant:String})";

    private static byte[] TwoEvents(string tenant) => Encoding.UTF8.GetBytes(
        $"{{\"event_id\":\"{tenant}-1\",\"timestamp\":\"2026-11-28T08:10:00Z\",\"tenant\":\"{tenant}\",\"model\":\"gpt-4o\",\"input_tokens\":10,\"output_tokens\":5}}\n" +
        $"{{\"event_id\":\"{tenant}-2\",\"timestamp\":\"2026-11-28T08:20:00Z\",\"tenant\":\"{tenant}\",\"model\":\"gpt-4o\",\"input_tokens\":20,\"output_tokens\":5}}\n");

    private static async Task<string> NoRollupTotalsAsync(CostOpsTestHost host, string tenant) =>
        (await host.ClickHouse.QueryAsync(NoRollupTotals, "TSV", new() { { "tenant", tenant } })).Trim();

    /// <summary>A second host on the fixture's database and tables, with its own rollup interval.</summary>
    private CostOpsTestHost HostWithRollupInterval(int milliseconds) =>
        CostOpsTestHost.Beside(fixture.ClickHouse.Database, fixture.Host.Tables.Prefix, fixture.Time,
            new Dictionary<string, string?> { ["Ingestion:RollupIntervalMilliseconds"] = milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>The rollup tables refuse writes of <paramref name="tenant"/> while the events table takes them: a failure between insert and rollup.</summary>
    private async Task RefuseRollupsAsync(string tenant, bool refuse)
    {
        var constraint = $"refuse_{tenant}";
        await fixture.ClickHouse.ExecuteAsync(refuse
            ? $"ALTER TABLE spend_hourly ADD CONSTRAINT {constraint} CHECK tenant != '{tenant}'"
            : $"ALTER TABLE spend_hourly DROP CONSTRAINT {constraint}");
    }

    [Fact]
    public async Task Stored_rows_are_accepted_even_when_the_rollup_refresh_fails_and_the_repair_pass_brings_the_totals_right()
    {
        // Rollups refreshed inside each commit (interval 0): the refresh fails before the answer, and nothing retries it.
        await using var host = HostWithRollupInterval(0);
        var api = new UsageApi(host.Get<UsageIngestionHandler>(), Options.Create(new IngestionOptions()), NullLogger<UsageApi>.Instance);
        await RefuseRollupsAsync("norollup", refuse: true);
        ApiResult result;
        try
        {
            result = await api.IngestAsync(TwoEvents("norollup"), "http", CancellationToken.None);
        }
        finally
        {
            await RefuseRollupsAsync("norollup", refuse: false);
        }

        Assert.Equal(200, result.Status);
        Assert.Equal(2, JsonDocument.Parse(result.Json!).RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal("2\t0\t0", await NoRollupTotalsAsync(host, "norollup"));

        var repaired = await host.Get<RollupRepair>().RepairRecentAsync(TimeSpan.FromHours(48));

        Assert.True(repaired >= 1);
        Assert.Equal("2\t2\t2", await NoRollupTotalsAsync(host, "norollup"));
    }

    [Fact]
    public async Task The_start_up_repair_rebuilds_an_old_event_whose_refresh_a_crash_cut_off()
    {
        await using var crashed = HostWithRollupInterval(60_000);
        var handler = crashed.Get<UsageIngestionHandler>();
        // Reported now, 74 h after the call: before the 48 h event-time window (widened to its whole first day).
        var late = Encoding.UTF8.GetBytes(
            "{\"event_id\":\"late-1\",\"timestamp\":\"2026-11-25T10:00:00Z\",\"tenant\":\"lateold\",\"model\":\"gpt-4o\",\"input_tokens\":10,\"output_tokens\":5}\n");
        // Written as a live commit writes, then the process is gone before its writer refreshed the slice.
        var summary = await handler.WriteIsolatingAsync(handler.Prepare([late]), "http", deferRollups: true, CancellationToken.None);
        Assert.Equal(1, summary.Accepted);

        // The next process knows nothing of the marks. Looking back by event time alone leaves the day stale...
        await using var restarted = HostWithRollupInterval(60_000);
        await restarted.Get<RollupRepair>().RepairRecentAsync(TimeSpan.FromHours(48));
        Assert.Equal("1\t0\t0", await NoRollupTotalsAsync(restarted, "lateold"));

        // ...the start-up pass also looks back by ingestion time.
        var repaired = await restarted.Get<RollupRepair>().RepairAtStartAsync(TimeSpan.FromHours(48));

        Assert.True(repaired >= 1, $"{repaired} slices rebuilt"); // the hour (its day is recomputed with it)
        Assert.Equal("1\t1\t1", await NoRollupTotalsAsync(restarted, "lateold"));
    }

    [Fact]
    public void Late_days_are_repaired_in_runs_of_consecutive_days()
    {
        var d = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var ranges = RollupRepair.DayRanges([d, d.AddDays(1), d.AddDays(2), d.AddDays(5), d.AddDays(9), d.AddDays(10)]).ToList();

        Assert.Equal([(d, d.AddDays(3)), (d.AddDays(5), d.AddDays(6)), (d.AddDays(9), d.AddDays(11))], ranges);
        Assert.Empty(RollupRepair.DayRanges([]));
    }

    [Fact]
    public void A_body_of_blank_lines_reserves_room_for_no_more_events_than_a_request_may_hold()
    {
        var blank = new byte[8 * 1024 * 1024];
        Array.Fill(blank, (byte)'\n');
        var before = GC.GetAllocatedBytesForCurrentThread();
        var batch = fixture.Handler.Prepare([blank], maxEventsPerPayload: 10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(CostOps.Core.Ingestion.RejectCodes.PayloadEmpty, Assert.Single(batch.Rejects).Rejection.Code);
        // Sized by its line count alone, the batch would reserve room for 8 million events (about 2 GB; measured in
        // serve before the cap: 2 GB resident and 13-17 s for one request).
        Assert.True(allocated < 64L * 1024 * 1024, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public async Task A_repair_pass_refreshes_what_live_commits_marked_and_counts_only_what_was_wrong()
    {
        await using var host = HostWithRollupInterval(60_000);
        var handler = host.Get<UsageIngestionHandler>();
        // Written as a live commit writes (its slices marked, their refresh left to the writer), with no writer to run it.
        var summary = await handler.WriteIsolatingAsync(handler.Prepare([TwoEvents("marked")]), "http", deferRollups: true, CancellationToken.None);
        Assert.Equal(2, summary.Accepted);
        Assert.Equal("2\t0\t0", await NoRollupTotalsAsync(host, "marked"));

        var day = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
        var repaired = await host.Get<RollupRepair>().RepairAsync(day, day.AddDays(1), "marked");

        // Not wrong, only not refreshed yet: brought right, and not reported as a repair.
        Assert.Equal(0, repaired);
        Assert.Equal("2\t2\t2", await NoRollupTotalsAsync(host, "marked"));
    }

    [Fact]
    public async Task A_deferred_rollup_refresh_that_fails_keeps_its_slices_for_the_next_read()
    {
        await RefuseRollupsAsync("latefail", refuse: true);
        ApiResult result;
        try
        {
            result = await Api().IngestAsync(TwoEvents("latefail"), "http", CancellationToken.None);
            Assert.Equal(200, result.Status);
            // A reader's refresh (or the writer's own, which it waits for) fails while the rollups refuse the slice...
            await Assert.ThrowsAnyAsync<Exception>(() => fixture.Rollups.RefreshPendingAsync());
            Assert.Equal("2\t0\t0", await NoRollupTotalsAsync(fixture.Host, "latefail"));
        }
        finally
        {
            await RefuseRollupsAsync("latefail", refuse: false);
        }

        // ...and the slice is still marked: the next read brings the totals right, with no repair pass.
        await fixture.Rollups.RefreshPendingAsync();
        Assert.Equal("2\t2\t2", await NoRollupTotalsAsync(fixture.Host, "latefail"));
    }
}
