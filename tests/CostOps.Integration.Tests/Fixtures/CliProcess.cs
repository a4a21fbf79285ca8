using System.Diagnostics;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>Runs the real <c>costops</c> binary in its own process, with its own state folder and table prefix.</summary>
public sealed class CliProcess
{
    public CliProcess()
    {
        StateDirectory = Path.Combine(TestEnvironment.StateDirectory, TestEnvironment.UniqueName("cli-"));
        TablePrefix = TestEnvironment.UniqueName("c");
    }

    public string StateDirectory { get; }

    public string TablePrefix { get; }

    public sealed record Result(int ExitCode, string Out, string Error);

    public async Task<Result> RunAsync(params string[] args)
    {
        await TestEnvironment.AzuriteAsync();
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
        start.Environment["Tables__ConnectionString"] = TestEnvironment.TablesConnectionString;
        start.Environment["Local__AzuriteTablePort"] = TestEnvironment.AzuritePort.ToString();

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
