namespace CostOps.Infrastructure.Ingestion;

/// <summary>
/// Takes one batch of raw payloads (each an event, an array, NDJSON or a CloudEvent) through validation, pricing
/// and a durable write. When it returns, everything accepted is in ClickHouse and every reject is recorded; it
/// throws when that could not be made durable, and the caller must not checkpoint. Event Hubs (the processor
/// here, or a trigger binding), HTTP and file ingestion all call this one method.
/// </summary>
public interface IUsageBatchHandler
{
    Task<IngestSummary> HandleAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, string source, CancellationToken cancellationToken);
}
