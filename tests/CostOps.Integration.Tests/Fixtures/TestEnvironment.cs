using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.ClickHouse.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CostOps.Infrastructure.Local;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>
/// What one test run shares: a state folder in the temp directory, the process's embedded ClickHouse (chDB allows
/// one per process) and a real Azurite (reused when one already listens on its port). Both are closed and the
/// folder removed when the test process exits: an embedded ClickHouse left open at exit crashes the process.
/// </summary>
public static class TestEnvironment
{
    private static readonly Lazy<ChDbEngine> LazyEngine = new(OpenEngine, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly SemaphoreSlim AzuriteGate = new(1, 1);
    private static AzuriteRunner? _azurite;
    private static readonly SemaphoreSlim RedisGate = new(1, 1);
    private static RedisRunner? _redis;

    public static string StateDirectory { get; } = CreateStateDirectory();

    public static ChDbEngine Engine => LazyEngine.Value;

    /// <summary>
    /// Azurite's table port for this run: one this run's own Azurite has bound (see <see cref="AzuriteRunner.StartOnFreePortAsync"/>),
    /// so parallel runs and a developer's own Azurite never collide. Known once <see cref="AzuriteAsync"/> returned.
    /// </summary>
    public static int AzuritePort => (_azurite ?? throw new InvalidOperationException("Await TestEnvironment.AzuriteAsync() before using Azurite.")).Port;

    /// <summary>Connection string of this run's Azurite (the emulator's well-known development account).</summary>
    public static string TablesConnectionString => TablesConnectionStringFor(AzuritePort);

    public static string TablesConnectionStringFor(int port) => CostOps.Infrastructure.Local.AzuriteRunner.TablesConnectionString(port);

    public static async Task<AzuriteRunner> AzuriteAsync()
    {
        await AzuriteGate.WaitAsync();
        try
        {
            return _azurite ??= await AzuriteRunner.StartOnFreePortAsync(StateDirectory);
        }
        finally
        {
            AzuriteGate.Release();
        }
    }

    /// <summary>
    /// This run's own redis-server (Debian's, installed by deps/redis.sh when missing), for the Redis admission ledger;
    /// started on first use, stopped when the test process exits. Tests share it and keep apart by their table prefix.
    /// </summary>
    public static async Task<RedisRunner> RedisAsync()
    {
        await RedisGate.WaitAsync();
        try
        {
            return _redis ??= await RedisRunner.StartAsync();
        }
        finally
        {
            RedisGate.Release();
        }
    }

    /// <summary>
    /// Whether the tests' hosts (<see cref="CostOpsTestHost"/>) reach ClickHouse through the server transport:
    /// <c>COSTOPS_TEST_CLICKHOUSE=server</c> gives them ClickHouse.Driver over HTTP to this run's engine, served in this
    /// process by the interface <c>costops serve --clickhouse-http</c> serves; unset, the embedded transport.
    /// </summary>
    public static bool ServerTransport { get; } = Environment.GetEnvironmentVariable("COSTOPS_TEST_CLICKHOUSE") == "server";

    private static readonly Lazy<string> LazyServerConnectionString = new(StartClickHouseHttp, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The ClickHouse.Driver connection string of this run's engine over HTTP (started on first use).</summary>
    public static string ClickHouseServerConnectionString => LazyServerConnectionString.Value;

    private static string StartClickHouseHttp()
    {
        var port = FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestLineSize = ClickHouseHttpInterface.MaxRequestLineBytes);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IClickHouse>(new EmbeddedClickHouse(Engine, "default"));
        var app = builder.Build();
        app.MapClickHouseHttp(port);
        app.StartAsync().GetAwaiter().GetResult();
        return $"Host=127.0.0.1;Port={port};Protocol=http";
    }

    /// <summary>A name no other test class or run uses (databases, table prefixes).</summary>
    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 12)];

    /// <summary>
    /// A port free at this instant, for the one test that must let the CLI bind it itself (the CLI starting its own
    /// Azurite is the behaviour under test). Everything else binds its port and then reads it.
    /// </summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private const string OwnerFile = "owner.pid";

    private static string CreateStateDirectory()
    {
        // Test hosts are sometimes killed before process-exit handlers run: sweep what earlier runs left behind. A
        // folder is stale only when the process that made it is gone (its pid file says which), never by age: an age
        // check deletes a live run's state when another run goes by a different clock (faketime) or simply runs long.
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), "costops-tests-*"))
        {
            if (OwnerIsAlive(stale)) continue;
            try
            {
                Directory.Delete(stale, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        var path = Path.Combine(Path.GetTempPath(), UniqueName("costops-tests-"));
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Cleanup(path);
        return path;
    }

    /// <summary>
    /// Whether the run that owns a state folder may still be using it. A folder without a readable pid (being created
    /// this instant, or made by an older version of this class) counts as alive: leaving a folder behind is harmless,
    /// deleting a live one is not.
    /// </summary>
    private static bool OwnerIsAlive(string folder)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(folder, OwnerFile));
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)) return true;
        try
        {
            using var owner = System.Diagnostics.Process.GetProcessById(pid);
            return !owner.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static ChDbEngine OpenEngine() =>
        ChDbEngine.Open(Path.Combine(StateDirectory, "clickhouse"), LocalPaths.ChDbLibrary());

    private static void Cleanup(string path)
    {
        ChDbEngine.CloseShared();
        _azurite?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _redis?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail the run for it.
        }
    }
}
