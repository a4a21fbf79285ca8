using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using System.Text.Json.Nodes;
using CostOps.Infrastructure.EventHubs;
using CostOps.Infrastructure.Resilience;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.EventHubs;

public sealed class UsageEventProcessorTests(IngestionFixture ingestion, AzuriteFixture azurite)
    : IClassFixture<IngestionFixture>, IClassFixture<AzuriteFixture>
{
    // Parsed, never dialled: the batch path under test does not touch the network.
    private const string ConnectionString = "Endpoint=sb://costops-test.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey=dGVzdA==";

    private const string Namespace = "costops-test.servicebus.windows.net";

    /// <summary>The default Event Hubs retry policy (200 ms doubling, 10% jitter, no limit), capped at 1 s to keep the test short.</summary>
    private static readonly RetryPolicy Retry = new() { InitialDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1), Jitter = 0.1 };

    private UsageEventProcessor Processor(string group, TimeProvider? time = null, IngestionBacklog? backlog = null) => new(
        new EventHubsOptions { ConnectionString = ConnectionString, HubName = "usage", ConsumerGroup = group },
        new TableCheckpointStore(azurite.Tables), ingestion.Handler, NullLogger<UsageEventProcessor>.Instance, time ?? new FakeTimeProvider(IngestionFixture.Now), backlog, Retry);

    private async Task<EventPosition?> CheckpointAsync(string group) =>
        (await new TableCheckpointStore(azurite.Tables).GetCheckpointAsync(Namespace, "usage", group, "0", CancellationToken.None))?.StartingPosition;

    /// <summary>Resumes after the last event of the batch: the checkpoint names sequence number <paramref name="last"/>.</summary>
    private static EventPosition After(long last) => EventPosition.FromSequenceNumber(last, isInclusive: false);

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
        Assert.Equal(After(399), await CheckpointAsync(group)); // sequence numbers 100..399: the last one, not the first

        // A crash before the checkpoint: Event Hubs delivers the batch again.
        var replay = await Processor(group).ProcessBatchAsync(events, "0", CancellationToken.None);
        Assert.Equal((0, 300), (replay!.Accepted, replay.Duplicates));
        Assert.Equal(totals, await ingestion.TotalsAsync());
    }

    [Fact]
    public async Task While_ClickHouse_refuses_writes_the_batch_waits_uncheckpointed_with_doubling_backoff_and_lands_once_after_recovery()
    {
        var group = TestEnvironment.UniqueName("g");
        var time = new TimerWatchingTimeProvider(IngestionFixture.Now);
        var backlog = new IngestionBacklog(time);
        // The health check of this instance, failing once a batch has waited unstored for more than 3 s.
        var health = new HealthApi(ingestion.ClickHouse, ingestion.Catalog, azurite.Tables, backlog,
            Options.Create(new EventHubsOptions { MaxPendingBatchAgeSeconds = 3 }), NullLogger<HealthApi>.Instance);
        var events = Events(ingestion.Traffic(200, seed: 12), firstSequence: 500);
        var before = await ingestion.ClickHouse.QueryAsync("SELECT count() FROM usage_events FINAL", "TSV");

        // A real outage of the table the batch must reach: inserts fail with ClickHouse's own error. Re-attached
        // whatever happens, so a failure here cannot break the other tests of the class.
        await ingestion.ClickHouse.ExecuteAsync("DETACH TABLE usage_events");
        Task<CostOps.Infrastructure.Ingestion.IngestSummary?> processing;
        try
        {
            processing = Processor(group, time, backlog).ProcessBatchAsync(events, "0", CancellationToken.None);
            // Each failed attempt waits on the injected clock: 200 ms doubling, capped at 1 s, less up to 10% of jitter.
            // The clock moves only when the processor is already waiting.
            foreach (var expected in new[] { 200, 400, 800, 1000, 1000 })
            {
                var delay = await time.NextTimerAsync();
                Assert.InRange(delay, TimeSpan.FromMilliseconds(expected * 0.9), TimeSpan.FromMilliseconds(expected));
                Assert.False(processing.IsCompleted);
                Assert.Null(await CheckpointAsync(group));
                time.Advance(delay);
            }
            Assert.InRange(await time.NextTimerAsync(), TimeSpan.FromMilliseconds(900), TimeSpan.FromMilliseconds(1000));

            // 3.4 s less up to 10% of jitter on the clock since the batch arrived: still one batch, past the health limit.
            var (pending, oldest) = backlog.Snapshot();
            Assert.Equal(1, pending);
            Assert.InRange(oldest, TimeSpan.FromMilliseconds(3060), TimeSpan.FromMilliseconds(3400));
            var unhealthy = await health.CheckAsync(details: true, CancellationToken.None);
            Assert.Equal(503, unhealthy.Status);
            var checks = JsonNode.Parse(unhealthy.Json!)!["checks"]!;
            Assert.Equal(("ok", "ok", "unavailable", 1), ((string?)checks["clickhouse"]!["status"], (string?)checks["tables"]!["status"],
                (string?)checks["ingestion"]!["status"], (int)checks["ingestion"]!["pending_batches"]!));
        }
        finally
        {
            await ingestion.ClickHouse.ExecuteAsync("ATTACH TABLE usage_events");
        }
        Assert.False(processing.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1100));
        var summary = await processing.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(200, summary!.Accepted);
        Assert.Equal(After(699), await CheckpointAsync(group));
        Assert.Equal((0, TimeSpan.Zero), backlog.Snapshot());
        Assert.Equal(200, (await health.CheckAsync(details: true, CancellationToken.None)).Status);
        Assert.Equal(long.Parse(before) + 200, long.Parse(await ingestion.ClickHouse.QueryAsync("SELECT count() FROM usage_events FINAL", "TSV")));
    }
}
