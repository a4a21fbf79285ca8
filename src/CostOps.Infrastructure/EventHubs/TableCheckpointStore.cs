using Azure;
using Azure.Data.Tables;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using CostOps.Infrastructure.Tables;

namespace CostOps.Infrastructure.EventHubs;

/// <summary>
/// Partition ownership and checkpoints for <see cref="EventProcessor{TPartition}"/> in Azure Tables, so several
/// instances share a hub's partitions. Ownership claims are optimistic: a claim carries the ETag it last saw,
/// and exactly one of two instances claiming the same partition wins (the other gets 412/409 and backs off).
/// </summary>
public sealed class TableCheckpointStore(TableStorage tables)
{
    private const string OwnerProperty = "OwnerIdentifier";
    private const string SequenceProperty = "SequenceNumber";

    private TableClient Ownership => tables.Table(TableNames.Ownership);

    private TableClient Checkpoints => tables.Table(TableNames.Checkpoints);

    /// <summary>Row partition key for a hub and consumer group; Azure Tables keys may not contain '/', '\', '#' or '?'.</summary>
    public static string PartitionKey(string fullyQualifiedNamespace, string eventHubName, string consumerGroup) =>
        string.Join("|", fullyQualifiedNamespace, eventHubName, consumerGroup).ToLowerInvariant()
            .Replace('/', '_').Replace('\\', '_').Replace('#', '_').Replace('?', '_');

    public async Task<IReadOnlyList<EventProcessorPartitionOwnership>> ListOwnershipAsync(
        string fullyQualifiedNamespace, string eventHubName, string consumerGroup, CancellationToken cancellationToken)
    {
        var key = PartitionKey(fullyQualifiedNamespace, eventHubName, consumerGroup);
        var result = new List<EventProcessorPartitionOwnership>();
        await foreach (var entity in Ownership.QueryAsync<TableEntity>(e => e.PartitionKey == key, cancellationToken: cancellationToken))
        {
            result.Add(ToOwnership(entity, fullyQualifiedNamespace, eventHubName, consumerGroup));
        }
        return result;
    }

    /// <summary>Claims what it can of <paramref name="desired"/>; returns only the claims that succeeded, with their new versions.</summary>
    public async Task<IReadOnlyList<EventProcessorPartitionOwnership>> ClaimOwnershipAsync(
        IEnumerable<EventProcessorPartitionOwnership> desired, CancellationToken cancellationToken)
    {
        var claimed = new List<EventProcessorPartitionOwnership>();
        foreach (var wanted in desired)
        {
            var entity = new TableEntity(
                PartitionKey(wanted.FullyQualifiedNamespace, wanted.EventHubName, wanted.ConsumerGroup), wanted.PartitionId)
            {
                [OwnerProperty] = wanted.OwnerIdentifier,
            };
            try
            {
                if (wanted.Version is null)
                {
                    await Ownership.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await Ownership.UpdateEntityAsync(entity, new ETag(wanted.Version), TableUpdateMode.Replace, cancellationToken);
                }
                var stored = (await Ownership.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken)).Value;
                claimed.Add(ToOwnership(stored, wanted.FullyQualifiedNamespace, wanted.EventHubName, wanted.ConsumerGroup));
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another instance claimed or renewed it since we listed: not ours this round.
            }
        }
        return claimed;
    }

    public async Task<EventProcessorCheckpoint?> GetCheckpointAsync(
        string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, CancellationToken cancellationToken)
    {
        var key = PartitionKey(fullyQualifiedNamespace, eventHubName, consumerGroup);
        var response = await Checkpoints.GetEntityIfExistsAsync<TableEntity>(key, partitionId, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is null) return null;
        var sequence = response.Value.GetInt64(SequenceProperty);
        if (sequence is null) return null;
        return new EventProcessorCheckpoint
        {
            FullyQualifiedNamespace = fullyQualifiedNamespace,
            EventHubName = eventHubName,
            ConsumerGroup = consumerGroup,
            PartitionId = partitionId,
            // The checkpoint names the last event made durable; processing resumes after it.
            StartingPosition = EventPosition.FromSequenceNumber(sequence.Value, isInclusive: false),
        };
    }

    /// <summary>Records that every event up to and including <paramref name="sequenceNumber"/> is durable.</summary>
    public async Task UpdateCheckpointAsync(
        string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, long sequenceNumber, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(PartitionKey(fullyQualifiedNamespace, eventHubName, consumerGroup), partitionId)
        {
            [SequenceProperty] = sequenceNumber,
        };
        await Checkpoints.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    private static EventProcessorPartitionOwnership ToOwnership(TableEntity entity, string ns, string hub, string group) => new()
    {
        FullyQualifiedNamespace = ns,
        EventHubName = hub,
        ConsumerGroup = group,
        PartitionId = entity.RowKey,
        OwnerIdentifier = entity.GetString(OwnerProperty),
        LastModifiedTime = entity.Timestamp ?? DateTimeOffset.MinValue,
        Version = entity.ETag.ToString(),
    };
}
