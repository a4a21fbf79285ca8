using System.Security.Cryptography;
using CostOps.Infrastructure.Admission;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary>
/// The real <c>serve</c> host for a benchmark, in this process on loopback: every route, the key check, every service,
/// on a throwaway ClickHouse database and table prefix that disposing removes, with the Redis ledger's keys when it
/// has one (before the host stops: stopping closes the embedded engine).
/// </summary>
public sealed class BenchServeHost : IAsyncDisposable
{
    private BenchServeHost(WebApplication app, string apiKey)
    {
        App = app;
        ApiKey = apiKey;
    }

    public WebApplication App { get; }

    /// <summary>The bootstrap admin key the host accepts.</summary>
    public string ApiKey { get; }

    /// <summary>Builds the host (not started) for the bench <paramref name="name"/> (lowercase letters: it names the database and prefix).</summary>
    /// <param name="settings">Configuration the bench adds (e.g. <c>Admission:Redis</c>).</param>
    public static BenchServeHost Create(string name, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var run = Guid.NewGuid().ToString("N");
        var apiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var app = ServeCommand.BuildApp("http://127.0.0.1:0", apiKey, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ClickHouse:Database"] = $"bench_{name}_{run[..12]}",
            ["Tables:TablePrefix"] = $"bench{name}{run[..10]}",
        });
        return new BenchServeHost(app, apiKey);
    }

    public async ValueTask DisposeAsync()
    {
        var clickHouse = App.Services.GetRequiredService<IClickHouse>();
        await clickHouse.ExecuteOutsideDatabaseAsync(App.Services.GetRequiredService<SqlCatalog>().Get(SqlNames.Migrations.DropDatabase),
            new QueryParameters { { "database", clickHouse.Database } }, CancellationToken.None);
        var tables = App.Services.GetRequiredService<TableStorage>();
        foreach (var name in TableNames.All) await tables.Table(name).DeleteAsync(CancellationToken.None);
        if (App.Services.GetRequiredService<ReservationLedger>() is RedisReservationLedger redis) await redis.DeleteAllAsync();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
