using Azure.Messaging.EventHubs;
using CostOps.Infrastructure.EventHubs;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostOps.Integration.Tests.EventHubs;

public sealed class UsageEventProcessorTests(IngestionFixture ingestion, AzuriteFixture azurite)
    : IClassFixture<IngestionFixture>, IClassFixture<AzuriteFixture>
{
    // Parsed, never dialled: the batch path under test does not touch the network.
    private const string ConnectionString = "Endpoint=sb://costops-test.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey=dGVzdA==";

    private UsageEventProcessor Processor(string group) => new(
        new EventHubsOptions { ConnectionString = ConnectionString, HubName = "usage", ConsumerGroup = group, MaxRetryDelaySeconds = 1 },
        new TableCheckpointStore(azurite.Tables), ingestion.Handler, NullLogger<UsageEventProcessor>.Instance);

    private static List<EventData> Events(byte[] ndjson, long firstSequence) =>
        System.Text.Encoding.UTF8.GetString(ndjson).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select((line, i) => EventHubsModelFactory.EventData(
                new BinaryData(System.Text.Encoding.UTF8.GetBytes(line)),
                partitionKey: "tenant", sequenceNumber: firstSequence + i, offsetString: (firstSequence + i).ToString(), enqueuedTime: IngestionFixture.Now))
            .ToList();


    [Fact]
    public async Task A_batch_is_checkpointed_after_it_is_durable_and_a_replay_after_a_crash_counts_nothing_twice()
    {
        var group = TestEnvironment.UniqueName("g");
        var events = Events(ingestion.Traffic(300, seed: 11), firstSequence: 100);
        var processor = Processor(group);

        var summary = await processor.ProcessBatchAsync(events, "0", CancellationToken.None);
        var totals = await ingestion.TotalsAsync();
        Assert.Equal(300, summary!.Accepted);
        Assert.NotNull(await new TableCheckpointStore(azurite.Tables).GetCheckpointAsync("costops-test.servicebus.windows.net", "usage", group, "0", CancellationToken.None));

        // A crash before the checkpoint: Event Hubs delivers the batch again.
        var replay = await Processor(group).ProcessBatchAsync(events, "0", CancellationToken.None);
        Assert.Equal((0, 300), (replay!.Accepted, replay.Duplicates));
        Assert.Equal(totals, await ingestion.TotalsAsync());
    }

    [Fact]
    public async Task While_ClickHouse_refuses_writes_the_batch_waits_uncheckpointed_and_lands_once_after_recovery()
    {
        var group = TestEnvironment.UniqueName("g");
        var store = new TableCheckpointStore(azurite.Tables);
        var events = Events(ingestion.Traffic(200, seed: 12), firstSequence: 500);
        var before = await ingestion.ClickHouse.QueryAsync("SELECT count() FROM usage_events FINAL", "TSV");

        // A real outage of the table the batch must reach: inserts fail with ClickHouse's own error.
        await ingestion.ClickHouse.ExecuteAsync("DETACH TABLE usage_events");
        var processing = Processor(group).ProcessBatchAsync(events, "0", CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(processing.IsCompleted);
        Assert.Null(await store.GetCheckpointAsync("costops-test.servicebus.windows.net", "usage", group, "0", CancellationToken.None));

        await ingestion.ClickHouse.ExecuteAsync("ATTACH TABLE usage_events");
        var summary = await processing.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(200, summary!.Accepted);
        Assert.NotNull(await store.GetCheckpointAsync("costops-test.servicebus.windows.net", "usage", group, "0", CancellationToken.None));
        Assert.Equal(long.Parse(before) + 200, long.Parse(await ingestion.ClickHouse.QueryAsync("SELECT count() FROM usage_events FINAL", "TSV")));
    }
}
