namespace CostOps.Infrastructure.Ingestion;

/// <summary>
/// Takes one batch of raw payloads (each an event, an array, NDJSON or a CloudEvent) through validation, pricing
/// and a durable write. When it returns, everything accepted is in ClickHouse and every reject is recorded; it
/// throws when that could not be made durable, and the caller must not checkpoint. Event Hubs (the processor
/// here, or a trigger binding), HTTP and file ingestion all call this one method.
/// </summary>
public interface IUsageBatchHandler
{
    /// <param name="tenantAllowed">When given, an event of another tenant is rejected (<c>tenant_not_allowed</c>) and the rest land: a scoped key's tenants.</param>
    Task<IngestSummary> HandleAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, string source, CancellationToken cancellationToken,
        Func<string, bool>? tenantAllowed = null);
}
