using ClickHouse.Driver;
using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.ClickHouse.Server;
using CostOps.Infrastructure.Local;
using Polly;

namespace CostOps.Infrastructure.ClickHouse;

/// <summary>Chooses the transport from configuration: a server when a connection string is set, else embedded chDB.</summary>
public static class ClickHouseFactory
{
    /// <param name="retry">How a server that does not answer is retried (none when null); the embedded engine needs none.</param>
    /// <param name="guard">Each server attempt's timeout and circuit breaker (none when null).</param>
    public static IClickHouse Create(ClickHouseOptions options, LocalOptions local, ResiliencePipeline? retry = null, ResiliencePipeline? guard = null)
    {
        if (options.UseServer)
        {
            return new ServerClickHouse(new ClickHouseClient(options.ConnectionString!), options.Database, retry, guard);
        }
        var dataPath = options.DataPath ?? Path.Combine(LocalPaths.StateDirectory(local.StateDirectory), "clickhouse");
        var engine = ChDbEngine.Open(dataPath, LocalPaths.ChDbLibrary(options.LibraryPath));
        return new EmbeddedClickHouse(engine, options.Database);
    }
}
