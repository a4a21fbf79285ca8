using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CostOps.Cli;

/// <summary>The stores a command runs on, as a user reads them in its output ("embedded ClickHouse, Azurite").</summary>
public static class StoreNames
{
    /// <summary>Whether ClickHouse is the engine embedded in this process (chDB), not a server reached over HTTP.</summary>
    public static bool IsEmbedded(IServiceProvider services) => services.GetRequiredService<IClickHouse>() is EmbeddedClickHouse;

    public static string Describe(IServiceProvider services)
    {
        var clickHouse = IsEmbedded(services) ? "embedded ClickHouse" : "a ClickHouse server (ClickHouse.Driver over HTTP)";
        var tables = services.GetRequiredService<IOptions<TableStorageOptions>>().Value.IsDevelopmentStorage ? "Azurite" : "Azure Tables";
        return $"{clickHouse}, {tables}";
    }
}
