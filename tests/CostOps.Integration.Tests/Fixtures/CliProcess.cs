using System.Diagnostics;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>Runs the real <c>costops</c> binary in its own process, with its own state folder and table prefix.</summary>
public sealed class CliProcess
{
    /// <param name="ownAzurite">Give the CLI a free port of its own, so it starts (and stops) Azurite itself, as it does for a user.</param>
    public CliProcess(bool ownAzurite = false)
    {
        _azuritePort = ownAzurite ? TestEnvironment.FreePort() : TestEnvironment.AzuritePort;
        StateDirectory = Path.Combine(TestEnvironment.StateDirectory, TestEnvironment.UniqueName("cli-"));
        TablePrefix = TestEnvironment.UniqueName("c");
    }

    /// <summary>Another process on the same state (folder, tables, Azurite) as <paramref name="sameStateAs"/>: a later run of the same installation.</summary>
    public CliProcess(CliProcess sameStateAs)
    {
        _azuritePort = sameStateAs._azuritePort;
        StateDirectory = sameStateAs.StateDirectory;
        TablePrefix = sameStateAs.TablePrefix;
    }

    public string StateDirectory { get; }

    public string TablePrefix { get; }

    /// <summary>The instant the CLI's clock starts at (<c>COSTOPS_NOW</c>); unset, the machine's clock.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Extra settings for the process (<c>Section__Key</c> environment variables).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    private readonly int _azuritePort;

    /// <summary>The Azurite port this installation uses.</summary>
    public int AzuritePort => _azuritePort;

    public sealed record Result(int ExitCode, string Out, string Error);

    public async Task<Result> RunAsync(params string[] args)
    {
        if (_azuritePort == TestEnvironment.AzuritePort) await TestEnvironment.AzuriteAsync();
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>How this installation's <c>costops</c> is started with <paramref name="args"/> (output redirected).</summary>
    public ProcessStartInfo StartInfo(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TestEnvironment.StateDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "costops.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["COSTOPS_STATE_DIR"] = StateDirectory;
        start.Environment["Tables__TablePrefix"] = TablePrefix;
        start.Environment["Tables__ConnectionString"] = TestEnvironment.TablesConnectionStringFor(_azuritePort);
        start.Environment["Local__AzuriteTablePort"] = _azuritePort.ToString();
        if (Now is { } now) start.Environment["COSTOPS_NOW"] = now.ToString("O");
        foreach (var (key, value) in Settings) start.Environment[key] = value;
        return start;
    }
}
