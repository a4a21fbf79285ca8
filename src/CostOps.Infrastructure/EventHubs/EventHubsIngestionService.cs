using CostOps.Infrastructure.Ingestion;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.EventHubs;

/// <summary>Runs <see cref="UsageEventProcessor"/> as a hosted service (Functions worker on Premium/Flex, and <c>costops serve</c>).</summary>
public sealed class EventHubsIngestionService(
    IOptions<EventHubsOptions> options, TableCheckpointStore store, IUsageBatchHandler handler, ILoggerFactory loggers, TimeProvider time,
    IngestionBacklog backlog, IOptions<Resilience.ResilienceOptions> resilience, Telemetry.CostOpsTelemetry? telemetry = null) : IHostedService
{
    private UsageEventProcessor? _processor;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            loggers.CreateLogger<EventHubsIngestionService>().LogInformation("Event Hubs ingestion is off (no EventHubs:ConnectionString).");
            return;
        }
        _processor = new UsageEventProcessor(options.Value, store, handler, loggers.CreateLogger<UsageEventProcessor>(), time, backlog, resilience.Value.EventHubs, telemetry);
        await _processor.StartProcessingAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stopping waits for the batch in flight to finish (and checkpoint) before returning.
        if (_processor is not null) await _processor.StopProcessingAsync(cancellationToken);
    }
}
