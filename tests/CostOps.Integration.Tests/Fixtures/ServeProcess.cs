using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>
/// The real <c>costops serve</c> in its own process on a loopback port the system picks (bound, never probed), with a
/// <see cref="CliProcess"/>'s state folder, table prefix, clock and settings, reached over HTTP. Disposing stops it.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    public const string ApiKey = "serve-test-key";

    private readonly Process _process;

    private ServeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = Client();
    }

    public Uri BaseAddress { get; }

    /// <summary>A client with the API key.</summary>
    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    /// <summary>Resident memory of the server process, in bytes (from /proc).</summary>
    public long ResidentBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    public static async Task<ServeProcess> StartAsync(CliProcess? cli = null, params string[] extraArgs)
    {
        var process = await (cli ?? new CliProcess()).StartAsync(["serve", "--urls", "http://127.0.0.1:0", "--api-key", ApiKey, .. extraArgs]);
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (ServingOn().Match(line) is { Success: true } m)
                {
                    // Keep draining stdout so the server never blocks on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new ServeProcess(process, new Uri(m.Groups["url"].Value));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"costops serve did not start: {await stderr}");
    }

    public HttpClient Client(bool withKey = true)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (withKey) client.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        return client;
    }

    public async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Http.PostAsync(path, content);
    }

    /// <summary>SIGTERM, as a service manager stops it; serve finishes in-flight work. Returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
        }
        using var grace = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(grace.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"CostOps is serving on (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ServingOn();
}
