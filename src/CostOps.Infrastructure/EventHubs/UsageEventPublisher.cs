using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;

namespace CostOps.Infrastructure.EventHubs;

/// <summary>
/// A small producer for usage events: batches them into <see cref="EventHubProducerClient"/> with the tenant as
/// partition key, so one tenant's events stay in order on one partition (and one processor instance).
/// </summary>
public sealed class UsageEventPublisher(string connectionString, string hubName) : IAsyncDisposable
{
    private readonly EventHubProducerClient _producer = new(connectionString, hubName);

    /// <summary>Publishes each NDJSON line as one event; returns how many were sent.</summary>
    public async Task<int> PublishNdjsonAsync(ReadOnlyMemory<byte> ndjson, CancellationToken cancellationToken)
    {
        var byTenant = new Dictionary<string, List<ReadOnlyMemory<byte>>>(StringComparer.Ordinal);
        var start = 0;
        var span = ndjson.Span;
        for (var i = 0; i <= span.Length; i++)
        {
            if (i < span.Length && span[i] != (byte)'\n') continue;
            if (i > start)
            {
                var line = ndjson[start..i];
                var tenant = TenantOf(line.Span);
                if (!byTenant.TryGetValue(tenant, out var list)) byTenant[tenant] = list = [];
                list.Add(line);
            }
            start = i + 1;
        }

        var sent = 0;
        foreach (var (tenant, lines) in byTenant)
        {
            var batch = await _producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = tenant }, cancellationToken);
            try
            {
                foreach (var line in lines)
                {
                    if (batch.TryAdd(new EventData(line))) continue;
                    await _producer.SendAsync(batch, cancellationToken);
                    sent += batch.Count;
                    batch.Dispose();
                    batch = await _producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = tenant }, cancellationToken);
                    if (!batch.TryAdd(new EventData(line))) throw new InvalidOperationException("A usage event is larger than an Event Hubs batch allows.");
                }
                if (batch.Count > 0)
                {
                    await _producer.SendAsync(batch, cancellationToken);
                    sent += batch.Count;
                }
            }
            finally
            {
                batch.Dispose();
            }
        }
        return sent;
    }

    /// <summary>The tenant of one event, for the partition key ("" when it cannot be read: the event is still sent and rejected at ingestion).</summary>
    public static string TenantOf(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject) return "";
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                var isTenant = reader.ValueTextEquals("tenant"u8);
                reader.Read();
                if (isTenant) return reader.TokenType == System.Text.Json.JsonTokenType.String ? reader.GetString()! : "";
                reader.Skip();
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return "";
    }

    public ValueTask DisposeAsync() => _producer.DisposeAsync();
}
