using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace CostOps.Infrastructure.Local;

/// <summary>
/// Makes sure an Azurite table service is listening locally: reuses one already on the port, otherwise starts
/// the pinned copy under <c>deps/node_modules</c> with its data in the state folder. Disposing stops only an
/// Azurite this runner started.
/// </summary>
public sealed class AzuriteRunner : IAsyncDisposable
{
    public const int DefaultTablePort = 10002;

    private readonly Process? _process;

    private AzuriteRunner(int port, Process? process)
    {
        Port = port;
        _process = process;
    }

    public int Port { get; }

    /// <summary>True when this runner started the process (false: one was already listening).</summary>
    public bool Started => _process is not null;

    /// <summary>Returns once Azurite answers on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<AzuriteRunner> EnsureRunningAsync(string stateDirectory, int port = DefaultTablePort, CancellationToken cancellationToken = default)
    {
        if (await IsListeningAsync(port, cancellationToken)) return new AzuriteRunner(port, null);

        var location = Path.Combine(stateDirectory, "azurite");
        Directory.CreateDirectory(location);
        // node runs under a small shell that stops it (SIGTERM, so it saves its data) when our end of its stdin
        // closes: on dispose, and also when this process dies without cleaning up (killed test hosts), so no
        // Azurite outlives the process that started it.
        var start = new ProcessStartInfo("sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("node \"$@\" & child=$!; trap 'kill $child' TERM; read -r _; kill $child; wait $child");
        start.ArgumentList.Add("azurite");
        foreach (var arg in new[]
                 {
                     LocalPaths.AzuriteTableScript(), "--tableHost", "127.0.0.1", "--tablePort", port.ToString(),
                     "--location", location, "--skipApiVersionCheck", "--disableProductStyleUrl",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Azurite needs a POSIX shell and Node.js on PATH.", e);
        }
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening on port {port}: {output}");
            }
            if (await IsListeningAsync(port, cancellationToken)) return new AzuriteRunner(port, process);
            await Task.Delay(100, cancellationToken);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"Azurite did not listen on port {port} within 30 s: {output}");
    }

    private static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(500));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops an Azurite this runner started with SIGTERM (through its shell), so it writes its data to the state folder
    /// (a SIGKILL lost every table row written since the last autosave); killed only if it has not exited within 10 s.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

}
