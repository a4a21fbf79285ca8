using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using CostOps.Infrastructure.EventHubs;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostOps.Integration.Tests.EventHubs;

/// <summary>
/// A poison event (one real ClickHouse refuses while it takes its neighbours) in the middle of a partition's stream,
/// through the processor's batch path with checkpoints in real Azurite: the events after it land, the checkpoint
/// moves on, the poison is a <c>store_failed</c> reject with its JSON, and every total is exact.
/// </summary>
public sealed class PoisonBatchTests(IngestionFixture ingestion, AzuriteFixture azurite)
    : IClassFixture<IngestionFixture>, IClassFixture<AzuriteFixture>
{
    private const string ConnectionString = "Endpoint=sb://costops-test.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey=dGVzdA==";
    private const string Namespace = "costops-test.servicebus.windows.net";

    private static EventData Event(string json, long sequence) => EventHubsModelFactory.EventData(
        new BinaryData(System.Text.Encoding.UTF8.GetBytes(json)), partitionKey: "tenant", sequenceNumber: sequence,
        offsetString: sequence.ToString(), enqueuedTime: IngestionFixture.Now);

    // The tests share the class's database; the surrogate test's tenant is left out of this one's totals.
    [Fact]
    public async Task A_poison_event_is_isolated_as_store_failed_and_the_partition_moves_on_with_exact_totals()
    {
        // A real refusal by storage for one tenant's rows: a CHECK constraint, as a schema rule or a bad value would.
        await ingestion.ClickHouse.ExecuteAsync("ALTER TABLE usage_events ADD CONSTRAINT no_poison CHECK tenant != 'poison'");
        var lines = System.Text.Encoding.UTF8.GetString(ingestion.Traffic(300, seed: 31)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[150] = $$"""{"event_id":"poison-1","timestamp":"{{IngestionFixture.Now.AddHours(-1):O}}","tenant":"poison","model":"gpt-4o","input_tokens":10,"output_tokens":5}""";
        var events = lines.Select((line, i) => Event(line, 1_000 + i)).ToList();
        var group = TestEnvironment.UniqueName("g");
        var store = new TableCheckpointStore(azurite.Tables);
        var processor = new UsageEventProcessor(
            new EventHubsOptions { ConnectionString = ConnectionString, HubName = "usage", ConsumerGroup = group },
            store, ingestion.Handler, NullLogger<UsageEventProcessor>.Instance);

        var summaries = new List<Infrastructure.Ingestion.IngestSummary>();
        foreach (var batch in events.Chunk(100))
        {
            summaries.Add((await processor.ProcessBatchAsync(batch, "0", CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1)))!);
        }

        Assert.Equal([100, 99, 100], summaries.Select(s => s.Accepted));
        var poison = Assert.Single(summaries[1].Outcomes, o => o.Status == "rejected");
        Assert.Equal(("poison-1", "store_failed"), (poison.EventId, poison.Rejection!.Code));
        var checkpoint = await store.GetCheckpointAsync(Namespace, "usage", group, "0", CancellationToken.None);
        Assert.Equal(EventPosition.FromSequenceNumber(1_299, isInclusive: false), checkpoint!.StartingPosition);

        var stored = await ingestion.ClickHouse.QueryAsync(
            "SELECT countIf(tenant = 'poison'), count(), sum(input_tokens) FROM usage_events FINAL WHERE tenant != 'surrogate'", "TSV");
        var expectedTokens = lines.Where((_, i) => i != 150).Sum(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("input_tokens").GetInt64());
        Assert.Equal($"0\t299\t{expectedTokens}", stored.Trim());
        // Live rollups are deferred (Ingestion:RollupIntervalMilliseconds): read them as the spend routes do, refreshed first.
        await ingestion.Rollups.RefreshPendingAsync();
        var rollups = await ingestion.ClickHouse.QueryAsync(
            "SELECT (SELECT sum(requests) FROM spend_hourly FINAL WHERE tenant != 'surrogate'), (SELECT sum(requests) FROM spend_daily FINAL WHERE tenant != 'surrogate'), (SELECT sum(input_tokens) FROM spend_daily FINAL WHERE tenant != 'surrogate')", "TSV");
        Assert.Equal($"299\t299\t{expectedTokens}", rollups.Trim());
        var reject = await ingestion.ClickHouse.QueryAsync("SELECT event_id, tenant, reason, raw FROM ingest_rejects WHERE reason LIKE 'store_failed%'", "TSV");
        Assert.StartsWith("poison-1\tpoison\tstore_failed: ", reject);
        Assert.Contains("VIOLATED_CONSTRAINT", reject);
        Assert.Contains("\"event_id\":\"poison-1\"", reject.Replace("\\\"", "\""));

        // Replayed after a crash before the checkpoint: nothing counted twice, the poison refused again.
        var replay = await processor.ProcessBatchAsync(events.GetRange(100, 100), "0", CancellationToken.None);
        Assert.Equal((0, 99, 1), (replay!.Accepted, replay.Duplicates, replay.Rejected));
        Assert.Equal(stored, await ingestion.ClickHouse.QueryAsync(
            "SELECT countIf(tenant = 'poison'), count(), sum(input_tokens) FROM usage_events FINAL WHERE tenant != 'surrogate'", "TSV"));
    }

    [Fact]
    public async Task A_lone_surrogate_event_is_a_reject_and_its_batch_is_checkpointed()
    {
        var group = TestEnvironment.UniqueName("g");
        var store = new TableCheckpointStore(azurite.Tables);
        var processor = new UsageEventProcessor(
            new EventHubsOptions { ConnectionString = ConnectionString, HubName = "usage", ConsumerGroup = group },
            store, ingestion.Handler, NullLogger<UsageEventProcessor>.Instance);
        string At(string id, string extra) =>
            $$"""{"event_id":"{{id}}","timestamp":"{{IngestionFixture.Now.AddHours(-2):O}}","tenant":"surrogate","model":"gpt-4o","input_tokens":10,"output_tokens":5{{extra}}}""";

        var summary = await processor.ProcessBatchAsync([Event(At("js-cut", ",\"tags\":{\"t\":\"\\ud83d\"}"), 7), Event(At("js-good", ""), 8)], "0", CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal((1, 1), (summary!.Accepted, summary.Rejected));
        Assert.Equal("tag_value_invalid", Assert.Single(summary.Outcomes, o => o.Rejection is not null).Rejection!.Code);
        var checkpoint = await store.GetCheckpointAsync(Namespace, "usage", group, "0", CancellationToken.None);
        Assert.Equal(EventPosition.FromSequenceNumber(8, isInclusive: false), checkpoint!.StartingPosition);
    }
}
