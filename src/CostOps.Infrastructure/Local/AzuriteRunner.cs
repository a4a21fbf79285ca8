using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace CostOps.Infrastructure.Local;

/// <summary>
/// Makes sure an Azurite table service is listening locally: reuses one already on the port, otherwise starts
/// the pinned copy under <c>deps/node_modules</c> with its data in the state folder (or, for tests, starts one of its
/// own on a free port). Disposing stops only an Azurite this runner started.
/// </summary>
public sealed class AzuriteRunner : IAsyncDisposable
{
    public const int DefaultTablePort = 10002;

    /// <summary>
    /// The connection string of a local Azurite's table service on <paramref name="port"/> (the well-known development
    /// account, whose key Azurite publishes). <c>UseDevelopmentStorage=true</c> means port 10002 only.
    /// </summary>
    public static string TablesConnectionString(int port) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

    private const string StopWithParent = """
        const { spawn } = require('child_process');
        const child = spawn(process.execPath, process.argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
        let stopping = false;
        // Once only: Azurite handles the first SIGINT (saves, closes); a second one would kill it mid-save.
        const stop = () => { if (!stopping) { stopping = true; child.kill('SIGINT'); } };
        process.stdin.on('end', stop);
        process.stdin.on('close', stop);
        process.stdin.resume();
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
        child.on('exit', (code) => process.exit(code ?? 0));
        """;

    /// <summary>How long Node and Azurite may take to start: about a second here, but over 30 s was seen on a 2-core machine under heavy load.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

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
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await IsListeningAsync(port, cancellationToken)) return new AzuriteRunner(port, null);
            if (await StartAsync(stateDirectory, port, cancellationToken) is { } started) return started;
            // The bind failed though nothing answered: an earlier process's Azurite still stopping (the port frees in a
            // moment) or one still starting (it answers in a moment), or a probe too slow on a busy machine. Look again.
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"Port {port} stayed taken for 30 s by a process that does not answer as Azurite.");
            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>
    /// Starts an Azurite of this runner's own on a port nobody else uses (never reuses one already listening). Azurite
    /// cannot report a port the system chose, so a free candidate is picked and, if another process binds it first,
    /// Azurite's bind fails and the next candidate is tried: the port is Azurite's once it says it started.
    /// </summary>
    public static async Task<AzuriteRunner> StartOnFreePortAsync(string stateDirectory, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var started = await StartAsync(stateDirectory, ChildProcesses.CandidatePort(), cancellationToken);
            if (started is not null) return started;
            if (attempt == 10) throw new InvalidOperationException("Azurite found no free port in 10 attempts.");
        }
    }


    /// <summary>Starts Azurite on <paramref name="port"/>; null when the port was taken (Azurite's bind failed).</summary>
    private static async Task<AzuriteRunner?> StartAsync(string stateDirectory, int port, CancellationToken cancellationToken)
    {
        var location = Path.Combine(stateDirectory, "azurite");
        Directory.CreateDirectory(location);
        // Azurite saves its data only on SIGINT (SIGTERM and SIGKILL lost every row since the last autosave), and a
        // shell's background job ignores SIGINT; so a few lines of node start it and send SIGINT when our end of
        // their stdin closes: on dispose, and also when this process dies without cleaning up (a killed test host).
        var start = NodeProcess.StartInfo();
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(StopWithParent);
        foreach (var arg in new[]
                 {
                     LocalPaths.AzuriteTableScript(), "--tableHost", "127.0.0.1", "--tablePort", port.ToString(),
                     "--location", location, "--skipApiVersionCheck", "--disableProductStyleUrl",
                     // Telemetry tries the network on shutdown; with none here it stalled the save past our grace period.
                     "--disableTelemetry",
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
            throw new InvalidOperationException("Azurite needs Node.js: 'node' was not found on PATH.", e);
        }
        // Ready when our own process says it listens (Azurite prints this after its bind succeeded): a probe of the
        // port could be answered by whatever else listens there.
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output) output.AppendLine(e.Data);
            if (e.Data?.Contains("successfully started", StringComparison.Ordinal) == true) listening.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync(cancellationToken);
        Task first;
        try
        {
            first = await Task.WhenAny(listening.Task, exited).WaitAsync(StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            lock (output)
            {
                // Its bind failed but it was slow to exit (a loaded machine): the port is someone else's, as below.
                if (output.ToString().Contains("EADDRINUSE", StringComparison.Ordinal)) return null;
                throw new TimeoutException($"Azurite did not listen on port {port} within {StartTimeout.TotalSeconds:0} s: {output}");
            }
        }
        if (first == listening.Task) return new AzuriteRunner(port, process);

        await exited;
        string text;
        lock (output) text = output.ToString();
        process.Dispose();
        if (text.Contains("EADDRINUSE", StringComparison.Ordinal)) return null;
        throw new InvalidOperationException($"Azurite exited before listening on port {port}: {text}");
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
    /// Stops an Azurite this runner started with SIGINT (through its wrapper), so it writes its data to the state folder;
    /// killed only if it has not exited within 10 s.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        await ChildProcesses.StopAsync(_process);
    }
}
