using System.Diagnostics;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>Runs the real <c>costops</c> binary in its own process, with its own state folder and table prefix.</summary>
public sealed class CliProcess
{
    /// <param name="ownAzurite">Give the CLI a free port of its own, so it starts (and stops) Azurite itself, as it does for a user.</param>
    public CliProcess(bool ownAzurite = false)
    {
        _ownAzuritePort = ownAzurite ? TestEnvironment.FreePort() : null;
        StateDirectory = Path.Combine(TestEnvironment.StateDirectory, TestEnvironment.UniqueName("cli-"));
        TablePrefix = TestEnvironment.UniqueName("c");
    }

    /// <summary>Another process on the same state (folder, tables, Azurite) as <paramref name="sameStateAs"/>: a later run of the same installation.</summary>
    public CliProcess(CliProcess sameStateAs)
    {
        _ownAzuritePort = sameStateAs._ownAzuritePort;
        _started = sameStateAs._started;
        Now = sameStateAs.Now;
        Settings = sameStateAs.Settings;
        StateDirectory = sameStateAs.StateDirectory;
        TablePrefix = sameStateAs.TablePrefix;
    }

    /// <summary>
    /// Another installation on the same Azure tables (prefix and Azurite) and clock as <paramref name="other"/>, with a
    /// state folder of its own: a second instance of a scaled-out deployment (chDB allows one process per data folder).
    /// </summary>
    public static CliProcess SharingTablesWith(CliProcess other) => new(other, other.TablePrefix);

    private CliProcess(CliProcess other, string tablePrefix)
    {
        _ownAzuritePort = other._ownAzuritePort;
        _started = other._started;
        Now = other.Now;
        Settings = other.Settings;
        StateDirectory = Path.Combine(TestEnvironment.StateDirectory, TestEnvironment.UniqueName("cli-"));
        TablePrefix = tablePrefix;
    }

    public string StateDirectory { get; }

    public string TablePrefix { get; }

    /// <summary>
    /// The instant the CLI's clock starts at (<c>COSTOPS_NOW</c>). A fixed instant unless a test sets another, so no
    /// CLI test depends on the day it runs (event timestamps in a test stay inside the accept window, "today" is known);
    /// <see langword="null"/> runs the CLI on the machine's clock, for the tests meant to (CI reruns those under faketime).
    /// </summary>
    public DateTimeOffset? Now { get; init; } = DefaultNow;

    /// <summary>The CLI tests' "now" unless they say otherwise.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Extra settings for the process (<c>Section__Key</c> environment variables).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    private readonly int? _ownAzuritePort;

    /// <summary>When this installation was made: its clock runs on from <see cref="Now"/> by the time elapsed since.</summary>
    private readonly long _started = Stopwatch.GetTimestamp();

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);

    public sealed record Result(int ExitCode, string Out, string Error)
    {
        /// <summary>The JSON object a <c>--json</c> command printed (from its first '{'), once it exited 0.</summary>
        public System.Text.Json.JsonElement Json()
        {
            Xunit.Assert.True(ExitCode == 0, Error);
            return System.Text.Json.JsonDocument.Parse(Out[Out.IndexOf('{')..]).RootElement;
        }
    }

    public async Task<Result> RunAsync(params string[] args)
    {
        using var process = await StartAsync(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Generous: a demo takes ~15 s on a quiet machine but minutes on a loaded one, and a slow pass is no failure.
        // A process that overstays is killed, so it cannot run on past its test and load the next ones.
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"costops {string.Join(' ', args)} did not exit within {Timeout}: {await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the CLI and returns at once (for long-running commands such as <c>serve</c>); the caller reads its output and stops it.</summary>
    public async Task<Process> StartAsync(params string[] args) => Process.Start(await StartInfoAsync(args))!;

    /// <summary>How this installation's <c>costops</c> is started with <paramref name="args"/> (output redirected; the run's Azurite up).</summary>
    public async Task<ProcessStartInfo> StartInfoAsync(params string[] args)
    {
        var azuritePort = _ownAzuritePort ?? (await TestEnvironment.AzuriteAsync()).Port;
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
        start.Environment["Tables__ConnectionString"] = TestEnvironment.TablesConnectionStringFor(azuritePort);
        start.Environment["Local__AzuriteTablePort"] = azuritePort.ToString();
        // Each process starts its clock at COSTOPS_NOW, so the installation's processes get an instant that moves on
        // with real time: stored versions (ReplacingMergeTree's ingested_at) must grow from one process to the next, or
        // a reprice written by a later process would lose to the rows an earlier one wrote "later".
        if (Now is { } now) start.Environment["COSTOPS_NOW"] = (now + Stopwatch.GetElapsedTime(_started)).ToString("O");
        foreach (var (key, value) in Settings) start.Environment[key] = value;
        return start;
    }
}
