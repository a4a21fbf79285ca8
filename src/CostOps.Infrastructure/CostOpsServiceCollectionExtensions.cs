using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.EventHubs;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Local;
using CostOps.Infrastructure.Resilience;
using CostOps.Infrastructure.ClickHouse.Server;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using CostOps.Infrastructure.Admission;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.Pricing;
using CostOps.Infrastructure.Recommendations;
using CostOps.Infrastructure.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure;

/// <summary>Registers every adapter; the Functions app, <c>costops</c> and the integration tests all call this.</summary>
public static class CostOpsServiceCollectionExtensions
{
    public static IServiceCollection AddCostOpsInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClickHouseOptions>().Bind(configuration.GetSection(ClickHouseOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TableStorageOptions>().Bind(configuration.GetSection(TableStorageOptions.SectionName))
            .Validate(o => o.Endpoint is not null || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Tables:ConnectionString or Tables:Endpoint must be set.")
            // The local Azurite on another port than 10002 (Local:AzuriteTablePort, e.g. two installations side by side):
            // the default development connection string follows it, instead of reaching for 10002.
            // Read from configuration, not IOptions<LocalOptions>: a bad port is reported once, by LocalOptions' own validation.
            .PostConfigure(tables =>
            {
                var port = configuration.GetSection(LocalOptions.SectionName).Get<LocalOptions>()?.AzuriteTablePort ?? AzuriteRunner.DefaultTablePort;
                if (tables.Endpoint is null && port != AzuriteRunner.DefaultTablePort
                    && string.Equals(tables.ConnectionString.Trim().TrimEnd(';'), "UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
                {
                    tables.ConnectionString = AzuriteRunner.TablesConnectionString(port);
                }
            })
            .ValidateOnStart();
        services.AddOptions<LocalOptions>().Bind(configuration.GetSection(LocalOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        // Metrics and traces: always measured, exported only where the configuration says (Telemetry, APPLICATIONINSIGHTS_CONNECTION_STRING).
        services.AddCostOpsTelemetry(configuration);
        services.AddSingleton<SqlCatalog>();
        services.AddOptions<ResilienceOptions>().Bind(configuration.GetSection(ResilienceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ResilienceOptions>, ResilienceOptionsValidator>();
        services.AddSingleton<IClickHouse>(sp =>
        {
            var resilience = sp.GetRequiredService<IOptions<ResilienceOptions>>().Value;
            var (time, logger) = (sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<ServerClickHouse>());
            return ClickHouseFactory.Create(sp.GetRequiredService<IOptions<ClickHouseOptions>>().Value, sp.GetRequiredService<IOptions<LocalOptions>>().Value,
                resilience.ClickHouse.Pipeline(ServerClickHouse.IsTransient, time, logger, "A ClickHouse request"),
                resilience.ClickHouseCircuit.Pipeline(ServerClickHouse.IsFailure, time, logger, "The ClickHouse server"));
        });
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton(sp => new TableStorage(sp.GetRequiredService<IOptions<TableStorageOptions>>().Value));

        services.AddOptions<EventHubsOptions>().Bind(configuration.GetSection(EventHubsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPriceCatalogSource, BundledPriceCatalogSource>();
        services.AddSingleton<SpendRollups>();
        services.AddSingleton<RollupRepair>();
        services.AddSingleton<UsageIngestionHandler>();
        services.AddSingleton<IngestionBacklog>();
        services.AddSingleton<IUsageBatchHandler>(sp => sp.GetRequiredService<UsageIngestionHandler>());
        services.AddSingleton<TableCheckpointStore>();
        // On Azure App Service and Functions (WEBSITE_INSTANCE_ID set) the default log folder is on the instance's own disk,
        // which a recycle or a scale-in takes away with the answered, uncommitted events on it: Logged there needs a folder
        // the operator chose as durable. Elsewhere (serve, a container) the state folder is the host's own.
        var onAppService = !string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]);
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => !onAppService || o.Acknowledge != IngestionAcknowledge.Logged || !string.IsNullOrWhiteSpace(o.LogDirectory),
                "Ingestion:Acknowledge=Logged on Azure App Service or Functions needs Ingestion:LogDirectory: the instance's own disk does not outlive "
                + "a recycle or a scale-in, and the events answered from it would be lost. Use Stored (the default) there, or name a durable folder.")
            .ValidateOnStart();
        services.AddOptions<Access.SecurityOptions>().Bind(configuration.GetSection(Access.SecurityOptions.SectionName));
        services.AddSingleton<Access.ApiKeyStore>();
        services.AddSingleton<Hosting.ApiAuthenticator>();
        services.AddSingleton<LoggedIngestion>();
        services.AddSingleton<UsageApi>();
        services.AddSingleton<Hosting.HealthApi>();
        services.AddSingleton<Spend.SpendQuery>();
        services.AddSingleton<Spend.SpendApi>();
        services.AddSingleton(Pricing.TokenEstimator.Shared);
        services.AddSingleton<Pricing.PricingApi>();
        // Prices come from the pricing table (seeded from the bundled catalog, editable, refreshed in process).
        services.AddCostOpsPricingTable(configuration);
        services.AddCostOpsBudgets(configuration);
        services.AddCostOpsRecommendations(configuration);
        services.AddCostOpsAdmission(configuration);
        return services;
    }

    /// <summary>
    /// For long-running hosts: at start, migrate ClickHouse, create the Azure tables and repair the rollups; at stop,
    /// refresh the rollups the last commits marked and close embedded ClickHouse.
    /// </summary>
    public static IServiceCollection AddCostOpsStartup(this IServiceCollection services)
    {
        services.AddHostedService<StorageLifetime>();
        services.AddHostedService<EventHubsIngestionService>();
        // After the migrations: it commits what a previous run logged (Ingestion:Acknowledge=Logged; idle otherwise).
        services.AddHostedService<IngestionLogCommitter>();
        return services;
    }

    /// <summary>Storage's start and stop, around every other hosted service (registered first, so started first and stopped last).</summary>
    private sealed class StorageLifetime(SchemaMigrator migrator, TableStorage tables, RollupRepair repair, SpendRollups rollups, IOptions<IngestionOptions> options,
        ILogger<StorageLifetime> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await migrator.MigrateAsync(cancellationToken);
            await tables.EnsureTablesAsync(cancellationToken);
            // A crash of the previous run between an insert and its rollup refresh is repaired before traffic resumes.
            await repair.RepairAtStartAsync(TimeSpan.FromHours(options.Value.RepairLookbackHours), cancellationToken);
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            // Stopped last (registered first): the log committer and the Event Hubs processor have stopped, so no commit
            // marks slices after this. Live commits refresh their rollups moments after answering; a host stopped in
            // between leaves those slices stale until the next start's repair pass, so they are refreshed here.
            try
            {
                await rollups.RefreshPendingAsync(cancellationToken);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Rollups of the last live commits not refreshed at shutdown; the repair pass at the next start rebuilds them");
            }
            ChDbEngine.CloseShared();
        }
    }
}
