using System.Diagnostics;
using System.Text.Json;
using CostOps.Infrastructure.Local;
using CostOps.Integration.Tests.Infra;

namespace CostOps.Integration.Tests.Report;

/// <summary>
/// Opens an HTML file in real headless Chromium (Debian's, found or installed by <c>deps/chromium.sh</c>) through the pinned
/// playwright-core, and returns what <c>render-check.cjs</c> saw: script and console errors, requests leaving the file,
/// the page's rendered marker and each chart's drawn geometry.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly Lazy<Task<string>> Executable = new(() => RunAsync("bash", [RepoPaths.Of("deps", "chromium.sh")], TimeSpan.FromMinutes(5)));

    public sealed record Chart(string Id, double Width, double Height, int Shapes, int DrawnShapes);

    public sealed record Render(string? Title, string? Rendered, List<string> PageErrors, List<string> ConsoleErrors,
        List<string> ExternalRequests, List<Chart> Charts);

    public static async Task<Render> RenderAsync(string htmlFile, string screenshot)
    {
        var chromium = (await Executable.Value).Trim();
        var json = await RunAsync("node",
            [RepoPaths.Of("tests", "CostOps.Integration.Tests", "Report", "render-check.cjs"), LocalPaths.DepsDirectory(), chromium, htmlFile, screenshot],
            TimeSpan.FromMinutes(1));
        return JsonSerializer.Deserialize<Render>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    private static async Task<string> RunAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var start = program == "node" ? NodeProcess.StartInfo() : new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}: {await stderr}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
