using System.Diagnostics;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Processor;
using Azure.Messaging.EventHubs.Primitives;
using CostOps.Infrastructure.Ingestion;
using Microsoft.Extensions.Logging;
using CostOps.Infrastructure.Resilience;
using CostOps.Infrastructure.Telemetry;
using Polly;

namespace CostOps.Infrastructure.EventHubs;

/// <summary>
/// Reads usage events from Event Hubs with ownership and checkpoints in Azure Tables (the isolated-worker Event Hubs
/// trigger is not available, so this is the processor the trigger would have been). A batch is checkpointed only
/// after <see cref="IUsageBatchHandler"/> made it durable (in a group commit shared with other partitions and HTTP callers).
/// While ClickHouse is unavailable, or the ingestion queue is full (<see cref="IngestionBusyException"/>), the same batch is retried
/// (the <c>Resilience:EventHubs</c> policy as a Polly pipeline, on the injected <see cref="TimeProvider"/>) and nothing
/// further is read from that partition, so memory stays bounded to one batch per partition, nothing is lost, and after
/// a crash the un-checkpointed batch is replayed (deduplicated by event id downstream). A batch that fails while
/// ClickHouse answers is not retried here: the handler isolates the events storage refuses (<c>store_failed</c>) and
/// lands the rest, so a poison event never stops its partition.
/// </summary>
public sealed class UsageEventProcessor : EventProcessor<EventProcessorPartition>
{
    private readonly TableCheckpointStore _store;
    private readonly IUsageBatchHandler _handler;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _untilDurable;
    private readonly IngestionBacklog? _backlog;
    private readonly CostOpsTelemetry? _telemetry;

    /// <param name="retry">How a batch is retried until stored (<c>Resilience:EventHubs</c>; its <see cref="RetryPolicy.MaxAttempts"/> must be 0, no limit); the default policy when null.</param>
    /// <param name="telemetry">Where each batch's span and each partition's lag (<c>costops.eventhubs.lag</c>) go; nowhere when null.</param>
    public UsageEventProcessor(EventHubsOptions options, TableCheckpointStore store, IUsageBatchHandler handler, ILogger<UsageEventProcessor> logger, TimeProvider? time = null,
        IngestionBacklog? backlog = null, RetryPolicy? retry = null, CostOpsTelemetry? telemetry = null)
        : base(options.MaxBatchSize, options.ConsumerGroup, ConnectionOrNamespace(options), options.HubName,
            // The last enqueued sequence number comes with each receive (no extra request): what the lag is computed from.
            new EventProcessorOptions { MaximumWaitTime = TimeSpan.FromSeconds(options.MaxWaitSeconds), TrackLastEnqueuedEventProperties = true })
    {
        _telemetry = telemetry;
        _store = store;
        _handler = handler;
        _logger = logger;
        // Retried for as long as it takes: the checkpoint must not move past a batch not stored.
        _untilDurable = (retry ?? new ResilienceOptions().EventHubs).Pipeline(_ => true, time ?? TimeProvider.System, logger, "Storing an Event Hubs batch");
        _backlog = backlog;
    }

    private static string ConnectionOrNamespace(EventHubsOptions options) =>
        options.ConnectionString ?? throw new InvalidOperationException("EventHubs:ConnectionString is required for the Event Hubs processor.");

    /// <summary>Hands one batch to the handler until it is durable, then checkpoints. Public for a trigger adapter and tests.</summary>
    public async Task<IngestSummary?> ProcessBatchAsync(IReadOnlyList<EventData> events, string partitionId, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return null;
        using var span = _telemetry?.StartActivity("costops.eventhubs.batch", ActivityKind.Consumer);
        span?.SetTag("messaging.system", "eventhubs");
        span?.SetTag("messaging.destination.name", EventHubName);
        span?.SetTag("messaging.destination.partition.id", partitionId);
        span?.SetTag("messaging.batch.message_count", events.Count);
        var payloads = new ReadOnlyMemory<byte>[events.Count];
        for (var i = 0; i < events.Count; i++) payloads[i] = events[i].EventBody.ToMemory();

        var summary = await HandleUntilDurableAsync(payloads, partitionId, cancellationToken);
        await _store.UpdateCheckpointAsync(FullyQualifiedNamespace, EventHubName, ConsumerGroup, partitionId, events[^1].SequenceNumber, cancellationToken);
        return summary;
    }

    private async Task<IngestSummary> HandleUntilDurableAsync(ReadOnlyMemory<byte>[] payloads, string partitionId, CancellationToken cancellationToken)
    {
        // Pending from the first attempt to the durable one: the health check sees a batch stuck behind an outage.
        using var pending = _backlog?.Track();
        return await _untilDurable.ExecuteAsync(
            async token => await _handler.HandleAsync(payloads, $"eventhubs:{partitionId}", token), cancellationToken);
    }

    protected override async Task OnProcessingEventBatchAsync(IEnumerable<EventData> events, EventProcessorPartition partition, CancellationToken cancellationToken)
    {
        var batch = events as IReadOnlyList<EventData> ?? events.ToList();
        await ProcessBatchAsync(batch, partition.PartitionId, cancellationToken);
        if (_telemetry is null) return;
        try
        {
            _telemetry.RecordEventHubsLag(EventHubName, partition.PartitionId, batch.Count > 0 ? batch[^1].SequenceNumber : null,
                ReadLastEnqueuedEventProperties(partition.PartitionId).SequenceNumber);
        }
        catch (Exception e) when (e is EventHubsException or InvalidOperationException)
        {
            // The partition was given up meanwhile: its lag is no longer this instance's to report; the batch is stored.
            _telemetry.ForgetEventHubsPartition(EventHubName, partition.PartitionId);
        }
    }

    protected override Task OnPartitionProcessingStoppedAsync(EventProcessorPartition partition, ProcessingStoppedReason reason, CancellationToken cancellationToken)
    {
        _telemetry?.ForgetEventHubsPartition(EventHubName, partition.PartitionId);
        return base.OnPartitionProcessingStoppedAsync(partition, reason, cancellationToken);
    }

    protected override Task OnProcessingErrorAsync(Exception exception, EventProcessorPartition partition, string operationDescription, CancellationToken cancellationToken)
    {
        _logger.LogError(exception, "Event Hubs processor error in {Operation} (partition {Partition})", operationDescription, partition?.PartitionId ?? "-");
        return Task.CompletedTask;
    }

    protected override async Task<IEnumerable<EventProcessorPartitionOwnership>> ListOwnershipAsync(CancellationToken cancellationToken) =>
        await _store.ListOwnershipAsync(FullyQualifiedNamespace, EventHubName, ConsumerGroup, cancellationToken);

    protected override async Task<IEnumerable<EventProcessorPartitionOwnership>> ClaimOwnershipAsync(IEnumerable<EventProcessorPartitionOwnership> desiredOwnership, CancellationToken cancellationToken) =>
        await _store.ClaimOwnershipAsync(desiredOwnership, cancellationToken);

    protected override async Task<EventProcessorCheckpoint> GetCheckpointAsync(string partitionId, CancellationToken cancellationToken) =>
        (await _store.GetCheckpointAsync(FullyQualifiedNamespace, EventHubName, ConsumerGroup, partitionId, cancellationToken))!;
}
