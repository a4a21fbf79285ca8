using System.Diagnostics;
using CostOps.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>
/// The real <c>costops</c> process killed with SIGKILL in the middle of a bulk ingest and of a re-price, at several
/// points, then simply run again: every total equals a clean run's, without a producer's retry.
/// </summary>
public sealed class CrashWindowTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static async Task<string> SpendAsync(CliProcess cli)
    {
        var spend = await cli.RunAsync("spend", "--group-by", "tenant,model,day", "--from", "2000-01-01", "--to", "2100-01-01", "--json");
        Assert.True(spend.ExitCode == 0, spend.Error);
        return spend.Out;
    }

    /// <summary>Starts <paramref name="args"/> and SIGKILLs it after <paramref name="after"/> (if it has not finished by then).</summary>
    private async Task KillDuringAsync(CliProcess cli, TimeSpan after, params string[] args)
    {
        using var process = Process.Start(await cli.StartInfoAsync(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(after));
        var finished = process.HasExited;
        if (!finished) process.Kill(entireProcessTree: true); // SIGKILL on Linux: no handler, no cleanup
        await process.WaitForExitAsync();
        await Task.WhenAll(stdout, stderr);
        output.WriteLine($"{string.Join(' ', args)}: {(finished ? "finished before the kill" : $"killed after {after.TotalSeconds:0.#} s")}");
    }

    private static async Task<string> TrafficAsync(CliProcess cli)
    {
        Directory.CreateDirectory(cli.StateDirectory);
        var file = Path.Combine(cli.StateDirectory, "traffic.ndjson");
        var gen = await cli.RunAsync("loadgen", "--events", "60000", "--days", "5", "--seed", "7", "--out", file);
        Assert.True(gen.ExitCode == 0, gen.Error);
        return file;
    }

    [Fact]
    public async Task A_bulk_ingest_killed_at_several_points_and_run_again_gives_a_clean_runs_totals()
    {
        var clean = new CliProcess { Now = Now };
        var file = await TrafficAsync(clean);
        Assert.Equal(0, (await clean.RunAsync("ingest", file)).ExitCode);
        var expected = await SpendAsync(clean);

        var crashed = new CliProcess { Now = Now };
        Assert.Equal(0, (await crashed.RunAsync("migrate")).ExitCode);
        foreach (var seconds in new[] { 3, 6, 10 })
        {
            await KillDuringAsync(crashed, TimeSpan.FromSeconds(seconds), "ingest", file);
        }
        var rerun = await crashed.RunAsync("ingest", file);
        Assert.True(rerun.ExitCode == 0, rerun.Error);

        Assert.Equal(expected, await SpendAsync(crashed));
    }

    [Fact]
    public async Task A_reprice_killed_at_several_points_and_run_again_gives_a_clean_runs_totals()
    {
        string[] newPrice = ["prices", "set", "--provider", "openai", "--model", "gpt-4o", "--effective-from", "2026-11-01", "--input", "100", "--output", "200"];
        string[] reprice = ["reprice", "--from", Now.AddDays(-6).ToString("O"), "--to", Now.AddHours(1).ToString("O")];
        var clean = new CliProcess { Now = Now };
        var file = await TrafficAsync(clean);
        Assert.Equal(0, (await clean.RunAsync("ingest", file)).ExitCode);
        var before = await SpendAsync(clean);
        Assert.Equal(0, (await clean.RunAsync(newPrice)).ExitCode);
        Assert.Equal(0, (await clean.RunAsync(reprice)).ExitCode);
        var expected = await SpendAsync(clean);
        Assert.NotEqual(before, expected);

        var crashed = new CliProcess { Now = Now };
        Assert.Equal(0, (await crashed.RunAsync("ingest", file)).ExitCode);
        Assert.Equal(0, (await crashed.RunAsync(newPrice)).ExitCode);
        foreach (var seconds in new[] { 3, 5, 8 })
        {
            await KillDuringAsync(crashed, TimeSpan.FromSeconds(seconds), reprice);
        }
        var rerun = await crashed.RunAsync(reprice);
        Assert.True(rerun.ExitCode == 0, rerun.Error);

        Assert.Equal(expected, await SpendAsync(crashed));
    }
}
