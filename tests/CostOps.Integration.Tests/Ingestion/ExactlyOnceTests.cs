using System.Text;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

public sealed class ExactlyOnceTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    [Fact]
    public async Task A_retry_inside_one_batch_is_counted_once_and_reported_as_duplicate()
    {
        var line = "{\"event_id\":\"dup-1\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"tenant\":\"dup-tenant\",\"provider\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":1000,\"output_tokens\":100}\n";
        var summary = await fixture.Handler.HandleAsync([Encoding.UTF8.GetBytes(line + line)], "test", CancellationToken.None);

        Assert.Equal((1, 1), (summary.Accepted, summary.Duplicates));
        Assert.Equal(["accepted", "duplicate"], summary.Outcomes.Select(o => o.Status));
        // Live rollups are deferred (Ingestion:RollupIntervalMilliseconds): read them as the spend routes do, refreshed first.
        await fixture.Rollups.RefreshPendingAsync();
        // gpt-4o: 1000 x $2.50/M + 100 x $10/M = $0.0035, counted once.
        Assert.Equal("1\t0.0035\n", await fixture.ClickHouse.QueryAsync(
            "SELECT sum(requests), sum(cost_usd) FROM spend_hourly FINAL WHERE tenant = 'dup-tenant'", "TSV"));
    }

    [Fact]
    public async Task Bad_events_are_rejected_with_reasons_while_their_good_neighbours_land()
    {
        var good = "{\"event_id\":\"ok-1\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"tenant\":\"mixed\",\"model\":\"gpt-4o-mini\",\"input_tokens\":10,\"output_tokens\":5}";
        var lines = new[]
        {
            good,
            "{\"event_id\":\"neg\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"tenant\":\"mixed\",\"model\":\"gpt-4o\",\"input_tokens\":-5,\"output_tokens\":1}",
            "{\"event_id\":\"huge\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"tenant\":\"mixed\",\"model\":\"gpt-4o\",\"input_tokens\":5000000000,\"output_tokens\":1}",
            "{\"event_id\":\"type\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"tenant\":\"mixed\",\"model\":\"gpt-4o\",\"input_tokens\":\"ten\",\"output_tokens\":1}",
            "{\"timestamp\":\"2026-11-28T10:00:00Z\",\"tenant\":\"mixed\",\"model\":\"gpt-4o\",\"input_tokens\":1,\"output_tokens\":1}",
            "{\"event_id\":\"future\",\"timestamp\":\"2027-06-01T00:00:00Z\",\"tenant\":\"mixed\",\"model\":\"gpt-4o\",\"input_tokens\":1,\"output_tokens\":1}",
            "{\"event_id\":\"long\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"tenant\":\"" + new string('x', 5000) + "\",\"model\":\"gpt-4o\",\"input_tokens\":1,\"output_tokens\":1}",
            "{\"event_id\":\"broken\", \"tenant\": ",
            good.Replace("ok-1", "ok-2"),
        };
        var summary = await fixture.Handler.HandleAsync([Encoding.UTF8.GetBytes(string.Join('\n', lines))], "mixed-test", CancellationToken.None);

        Assert.Equal(2, summary.Accepted);
        Assert.Equal(7, summary.Rejected);
        var reasons = await fixture.ClickHouse.QueryAsync(
            "SELECT count(), countIf(reason != ''), countIf(raw != ''), max(length(raw)) <= 8192 FROM ingest_rejects WHERE source = 'mixed-test'", "TSV");
        Assert.Equal("7\t7\t7\t1\n", reasons);
        Assert.Equal("2\n", await fixture.ClickHouse.QueryAsync("SELECT count() FROM usage_events FINAL WHERE tenant = 'mixed'", "TSV"));
    }

    [Fact]
    public async Task A_payload_that_is_not_json_is_rejected_whole_with_a_reason()
    {
        var summary = await fixture.Handler.HandleAsync([Encoding.UTF8.GetBytes("this is not json at all")], "garbage-test", CancellationToken.None);
        Assert.Equal((0, 1), (summary.Accepted, summary.Rejected));
        var reason = await fixture.ClickHouse.QueryAsync("SELECT reason FROM ingest_rejects WHERE source = 'garbage-test'", "TSV");
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [Fact]
    public async Task Unknown_models_are_counted_as_unpriced_at_the_estimate_never_silently_free()
    {
        var line = "{\"event_id\":\"u-1\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"tenant\":\"unpriced\",\"model\":\"my-private-model-9\",\"input_tokens\":1000,\"output_tokens\":100}";
        var summary = await fixture.Handler.HandleAsync([Encoding.UTF8.GetBytes(line)], "test", CancellationToken.None);

        Assert.Equal((1, 1), (summary.Accepted, summary.Unpriced));
        await fixture.Rollups.RefreshPendingAsync();
        // No provider and an unknown model: the documented default estimate, $15 / $75 per 1M: 0.015 + 0.0075.
        Assert.Equal("estimated_price\t0.0225\t1\n", await fixture.ClickHouse.QueryAsync(
            "SELECT any(price_status), toString(sum(cost_usd)), (SELECT sum(unpriced_requests) FROM spend_hourly FINAL WHERE tenant = 'unpriced') FROM usage_events WHERE tenant = 'unpriced'", "TSV"));
    }
}
