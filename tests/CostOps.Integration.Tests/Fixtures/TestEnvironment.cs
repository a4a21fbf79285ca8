using CostOps.Infrastructure.ClickHouse.Embedded;
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

    public static string StateDirectory { get; } = CreateStateDirectory();

    public static ChDbEngine Engine => LazyEngine.Value;

    public static async Task<AzuriteRunner> AzuriteAsync()
    {
        await AzuriteGate.WaitAsync();
        try
        {
            return _azurite ??= await AzuriteRunner.EnsureRunningAsync(StateDirectory);
        }
        finally
        {
            AzuriteGate.Release();
        }
    }

    /// <summary>A name no other test class or run uses (databases, table prefixes).</summary>
    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 12)];

    private static string CreateStateDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), UniqueName("costops-tests-"));
        Directory.CreateDirectory(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Cleanup(path);
        return path;
    }

    private static ChDbEngine OpenEngine() =>
        ChDbEngine.Open(Path.Combine(StateDirectory, "clickhouse"), LocalPaths.ChDbLibrary());

    private static void Cleanup(string path)
    {
        ChDbEngine.CloseShared();
        _azurite?.DisposeAsync().AsTask().GetAwaiter().GetResult();
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
