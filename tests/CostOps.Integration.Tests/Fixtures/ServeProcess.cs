using System.Diagnostics;
using System.Net.Http.Headers;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>
/// The real <c>costops serve</c> in its own process on a free loopback port, with its own state folder and table
/// prefix (a <see cref="CliProcess"/>'s), reached over HTTP with its API key. Disposing stops it.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    public const string ApiKey = "serve-test-key";

    private readonly Process _process;

    private ServeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        Http.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
    }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    /// <summary>Resident memory of the server process, in bytes (from /proc).</summary>
    public long ResidentBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    public static async Task<ServeProcess> StartAsync(CliProcess cli)
    {
        if (cli.AzuritePort == TestEnvironment.AzuritePort) await TestEnvironment.AzuriteAsync();
        // The schema first, in a process of its own, so start-up below is only the host.
        var migrate = await cli.RunAsync("migrate");
        if (migrate.ExitCode != 0) throw new InvalidOperationException("migrate failed: " + migrate.Error);

        var port = TestEnvironment.FreePort();
        var start = cli.StartInfo("serve", "--urls", $"http://127.0.0.1:{port}", "--api-key", ApiKey);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var serve = new ServeProcess(process, new Uri($"http://127.0.0.1:{port}"));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited) throw new InvalidOperationException($"serve exited with {process.ExitCode}");
            try
            {
                using var health = await serve.Http.GetAsync("/api/health");
                if (health.IsSuccessStatusCode) return serve;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        await serve.DisposeAsync();
        throw new TimeoutException("serve did not answer /api/health within 90 s");
    }

    public async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Http.PostAsync(path, content);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
