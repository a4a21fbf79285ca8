using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>
/// The real <c>costops serve</c> in its own process on a loopback port the system picks (bound, never probed), with
/// its own state folder and table prefix, as <see cref="CliProcess"/> runs the other commands.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServeProcess(Process process, Uri baseAddress, string apiKey)
    {
        _process = process;
        BaseAddress = baseAddress;
        ApiKey = apiKey;
    }

    public Uri BaseAddress { get; }

    public string ApiKey { get; }

    public static async Task<ServeProcess> StartAsync()
    {
        var apiKey = Guid.NewGuid().ToString("N");
        var process = await new CliProcess().StartAsync("serve", "--urls", "http://127.0.0.1:0", "--api-key", apiKey);
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
                    return new ServeProcess(process, new Uri(m.Groups["url"].Value), apiKey);
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"CostOps is serving on (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ServingOn();
}
