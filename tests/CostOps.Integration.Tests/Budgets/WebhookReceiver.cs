using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CostOps.Integration.Tests.Budgets;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (a free port). <see cref="Respond"/> picks the answer to the n-th request
/// (1-based): a status code, or null to never answer (the connection stays open until the receiver is disposed).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentBag<HttpListenerContext> _unanswered = [];
    private int _count;

    public WebhookReceiver(Func<int, int?>? respond = null)
    {
        Respond = respond ?? (_ => 200);
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public sealed record Received(int Number, string Path, string Body, byte[] RawBody, IReadOnlyDictionary<string, string> Headers, int? Answer);

    public Func<int, int?> Respond { get; set; }

    public int Port { get; }

    public string Url(string path = "hook") => $"http://127.0.0.1:{Port}/{path}";

    public ConcurrentQueue<Received> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Abort();
        foreach (var c in _unanswered) c.Response.Abort();
        try { await _loop; } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }

            var number = Interlocked.Increment(ref _count);
            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var raw = buffer.ToArray();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var answer = Respond(number);
            Requests.Enqueue(new Received(number, context.Request.Url!.AbsolutePath, Encoding.UTF8.GetString(raw), raw, headers, answer));
            if (answer is null)
            {
                _unanswered.Add(context);
                continue;
            }
            context.Response.StatusCode = answer.Value;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
