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

    [Fact]
    public async Task Stored_rows_are_accepted_even_when_the_rollup_refresh_fails_and_the_repair_pass_brings_the_totals_right()
    {
        var body = Encoding.UTF8.GetBytes(
            "{\"event_id\":\"rollup-1\",\"timestamp\":\"2026-11-28T08:10:00Z\",\"tenant\":\"norollup\",\"model\":\"gpt-4o\",\"input_tokens\":10,\"output_tokens\":5}\n" +
            "{\"event_id\":\"rollup-2\",\"timestamp\":\"2026-11-28T08:20:00Z\",\"tenant\":\"norollup\",\"model\":\"gpt-4o\",\"input_tokens\":20,\"output_tokens\":5}\n");
        const string Totals = "SELECT (SELECT count() FROM usage_events FINAL WHERE tenant = 'norollup'), (SELECT sum(requests) FROM spend_hourly FINAL WHERE tenant = 'norollup'), (SELECT sum(requests) FROM spend_daily FINAL WHERE tenant = 'norollup')";

        // The rollup tables refuse writes while the events table takes them: a crash or failure between insert and rollup.
        await fixture.ClickHouse.ExecuteAsync("ALTER TABLE spend_hourly ADD CONSTRAINT refuse_norollup CHECK tenant != 'norollup'");
        ApiResult result;
        try
        {
            result = await Api().IngestAsync(body, "http", CancellationToken.None);
        }
        finally
        {
            await fixture.ClickHouse.ExecuteAsync("ALTER TABLE spend_hourly DROP CONSTRAINT refuse_norollup");
        }

        Assert.Equal(200, result.Status);
        Assert.Equal(2, JsonDocument.Parse(result.Json!).RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal("2\t0\t0", (await fixture.ClickHouse.QueryAsync(Totals, "TSV")).Trim());

        var repaired = await fixture.Host.Get<RollupRepair>().RepairRecentAsync(TimeSpan.FromHours(48));

        Assert.True(repaired >= 1);
        Assert.Equal("2\t2\t2", (await fixture.ClickHouse.QueryAsync(Totals, "TSV")).Trim());
    }
}
