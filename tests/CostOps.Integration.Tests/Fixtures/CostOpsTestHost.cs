using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>
/// The services every host builds (<see cref="CostOpsHostBuilder.AddCostOps"/>, the Functions app's and the CLI's
/// composition root), on this run's embedded ClickHouse and Azurite: a database and Azure tables of the test's own,
/// in-memory settings, and the clock the test controls. The container is validated when built (every service
/// constructible, no scope leaks) and every options class as a host validates them at start.
/// </summary>
public sealed class CostOpsTestHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly bool _ownsDatabase;
    private readonly bool _ownsTables;

    private CostOpsTestHost(IHost host, bool ownsDatabase, bool ownsTables)
    {
        _host = host;
        _ownsDatabase = ownsDatabase;
        _ownsTables = ownsTables;
    }

    public IServiceProvider Services => _host.Services;

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public IClickHouse ClickHouse => Get<IClickHouse>();

    public SqlCatalog Catalog => Get<SqlCatalog>();

    public TableStorage Tables => Get<TableStorage>();

    /// <summary>Builds the host, migrates its database and creates its tables.</summary>
    /// <param name="database">An existing database to share (not dropped at the end); a new one when null.</param>
    /// <param name="tablePrefix">Existing tables to share (not deleted at the end); new ones when null.</param>
    /// <param name="time">The clock; the system's when null.</param>
    /// <param name="settings">Settings over the test defaults, as a host's configuration would give them.</param>
    /// <param name="services">Registrations over the hosts' (a telemetry exporter the test reads, say).</param>
    public static async Task<CostOpsTestHost> StartAsync(string? database = null, string? tablePrefix = null, TimeProvider? time = null,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        await TestEnvironment.AzuriteAsync();
        var host = Build(database, tablePrefix, time, settings, services);
        await host.Get<SchemaMigrator>().MigrateAsync();
        await host.Tables.EnsureTablesAsync();
        return host;
    }

    /// <summary>
    /// A second host on a database and tables a started one made (other settings, another clock), as a second
    /// instance of a host would run; nothing to migrate, nothing of its own to remove.
    /// </summary>
    public static CostOpsTestHost Beside(string database, string tablePrefix, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        Build(database, tablePrefix, time, settings);

    private static CostOpsTestHost Build(string? database, string? tablePrefix, TimeProvider? time, IReadOnlyDictionary<string, string?>? settings,
        Action<IServiceCollection>? services = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["ClickHouse:DataPath"] = Path.Combine(TestEnvironment.StateDirectory, "clickhouse"),
            ["ClickHouse:Database"] = database ?? TestEnvironment.UniqueName("test_"),
            ["Tables:ConnectionString"] = TestEnvironment.TablesConnectionString,
            ["Tables:TablePrefix"] = tablePrefix ?? TestEnvironment.UniqueName("t"),
            ["Local:StateDirectory"] = TestEnvironment.StateDirectory,
        };
        // The same tests on the other transport: ClickHouse.Driver over HTTP to the same engine (TestEnvironment.ServerTransport).
        if (TestEnvironment.ServerTransport) config["ClickHouse:ConnectionString"] = TestEnvironment.ClickHouseServerConnectionString;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        builder.AddCostOps(config, time);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        // What IHost.StartAsync checks first, without starting anything.
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        return new CostOpsTestHost(host, ownsDatabase: database is null, ownsTables: tablePrefix is null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDatabase)
        {
            var clickHouse = ClickHouse;
            await clickHouse.ExecuteOutsideDatabaseAsync(Catalog.Get(SqlNames.Migrations.DropDatabase),
                new QueryParameters { { "database", clickHouse.Database } });
        }
        if (_ownsTables)
        {
            foreach (var name in TableNames.All) await Tables.Table(name).DeleteAsync();
        }
        _host.Dispose();
    }
}
