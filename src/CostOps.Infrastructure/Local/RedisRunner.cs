using System.Diagnostics;
using System.Text;

namespace CostOps.Infrastructure.Local;

/// <summary>
/// A throwaway Redis server of its own on a free loopback port, for the Redis admission ledger's tests and
/// <c>bench admission --ledger redis</c>: Debian's redis-server (found or installed by <c>deps/redis.sh</c>), with its
/// append-only file fsynced before every reply (<c>appendfsync always</c>: an acknowledged reservation survives a
/// crash of the server, and the figures measured include that cost). Disposing stops it and deletes its data; it also
/// stops when this process dies without cleaning up (a small shell wrapper watches our end of its stdin).
/// </summary>
public sealed class RedisRunner : IAsyncDisposable
{
    private const string StopWithParent = """
        "$0" "$@" & pid=$!
        trap 'kill $pid' TERM INT
        cat > /dev/null
        kill $pid 2>/dev/null
        wait $pid
        """;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _directory;

    private RedisRunner(int port, Process process, string directory)
    {
        Port = port;
        _process = process;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of this server (<c>Admission:Redis</c>).</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisRunner> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = await ServerPathAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var started = await TryStartAsync(server, ChildProcesses.CandidatePort(), cancellationToken);
            if (started is not null) return started;
            if (attempt == 10) throw new InvalidOperationException("redis-server found no free port in 10 attempts.");
        }
    }

    private static async Task<string> ServerPathAsync(CancellationToken cancellationToken)
    {
        var script = Path.Combine(LocalPaths.DepsDirectory(), "redis.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} failed: {await error}");
        return (await output).Trim();
    }


    /// <summary>Starts redis-server on <paramref name="port"/>; null when the port was taken (its bind failed).</summary>
    private static async Task<RedisRunner?> TryStartAsync(string server, int port, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("costops-redis-").FullName;
        var start = new ProcessStartInfo("sh")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "-c", StopWithParent, server, "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", directory,
                     "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no", "--loglevel", "notice",
                 })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("sh did not start.");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output) output.AppendLine(e.Data);
            if (e.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(ready.Task, exited).WaitAsync(StartTimeout, cancellationToken);
        if (first == ready.Task) return new RedisRunner(port, process, directory);
        await exited;
        string text;
        lock (output) text = output.ToString();
        process.Dispose();
        Directory.Delete(directory, recursive: true);
        if (text.Contains("Address already in use", StringComparison.Ordinal)) return null;
        throw new InvalidOperationException($"redis-server exited before listening on port {port}: {text}");
    }

    public async ValueTask DisposeAsync()
    {
        await ChildProcesses.StopAsync(_process);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open a moment after exit: the temp folder is cleaned by the system later.
        }
    }
}
