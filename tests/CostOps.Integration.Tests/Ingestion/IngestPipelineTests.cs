using System.Text;
using CostOps.Infrastructure.Ingestion;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>
/// Bulk loads encode each batch's insert block while preparing it; the writer uses that block only when none of the
/// batch's events is stored yet. Both paths must store exactly what the one-batch handler stores.
/// </summary>
public sealed class IngestPipelineTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static string Line(string id, string tenant, int input) =>
        $"{{\"event_id\":\"{id}\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"tenant\":\"{tenant}\",\"provider\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":{input},\"output_tokens\":100}}\n";

    private Task<IngestSummary> RunAsync(string ndjson) => IngestPipeline.RunAsync(fixture.Handler, fixture.Rollups,
        Payloads(Encoding.UTF8.GetBytes(ndjson)), "pipeline-test", null, CancellationToken.None);

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Payloads(byte[] bytes)
    {
        await Task.Yield();
        yield return bytes;
    }

    [Fact]
    public async Task A_pre_encoded_batch_stores_each_first_occurrence_once()
    {
        var summary = await RunAsync(Line("p-1", "pipe-a", 1000) + Line("p-2", "pipe-a", 2000) + Line("p-1", "pipe-a", 1000));

        Assert.Equal((2, 1), (summary.Accepted, summary.Duplicates));
        // gpt-4o: (1000 + 2000) x $2.50/M + 200 x $10/M = $0.0095.
        // Raw rows, not FINAL: the repeat of p-1 was never written.
        Assert.Equal("2\t0.0095\n", await fixture.ClickHouse.QueryAsync("SELECT count(), sum(cost_usd) FROM usage_events WHERE tenant = 'pipe-a'", "TSV"));
        Assert.Equal("2\t0.0095\n", await fixture.ClickHouse.QueryAsync("SELECT sum(requests), sum(cost_usd) FROM spend_hourly FINAL WHERE tenant = 'pipe-a'", "TSV"));
    }

    [Fact]
    public async Task A_batch_with_stored_events_falls_back_to_encoding_only_the_new_ones()
    {
        Assert.Equal(1, (await RunAsync(Line("s-1", "pipe-b", 1000))).Accepted);

        var summary = await RunAsync(Line("s-1", "pipe-b", 1000) + Line("s-2", "pipe-b", 3000));

        Assert.Equal((1, 1), (summary.Accepted, summary.Duplicates));
        // Raw rows, not FINAL: the stored s-1 was not written a second time. s-1 $0.0035 + s-2 (3000 input) $0.0085.
        Assert.Equal("2\t0.012\n", await fixture.ClickHouse.QueryAsync("SELECT count(), sum(cost_usd) FROM usage_events WHERE tenant = 'pipe-b'", "TSV"));
        Assert.Equal("2\t0.012\n", await fixture.ClickHouse.QueryAsync("SELECT sum(requests), sum(cost_usd) FROM spend_hourly FINAL WHERE tenant = 'pipe-b'", "TSV"));
    }
}
