using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CostOps.Integration.Tests.Budgets;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (a port it has bound). <see cref="Respond"/> picks the answer to the n-th request
/// (1-based): a status code (a 3xx redirects to <c>/redirected</c>), or null to never answer (the connection stays open until the receiver is disposed).
/// <see cref="Arrived"/> lets a test wait for the n-th request instead of sleeping.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly ConcurrentBag<HttpListenerContext> _unanswered = [];
    private readonly ConcurrentDictionary<int, TaskCompletionSource<Received>> _arrivals = new();
    private int _count;

    public WebhookReceiver(Func<int, int?>? respond = null)
    {
        Respond = respond ?? (_ => 200);
        (_listener, Port) = Bind();
        _loop = Task.Run(LoopAsync);
    }

    public sealed record Received(int Number, string Path, string Body, byte[] RawBody, IReadOnlyDictionary<string, string> Headers, int? Answer);

    public Func<int, int?> Respond { get; set; }

    public int Port { get; }

    public string Url(string path = "hook") => $"http://127.0.0.1:{Port}/{path}";

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Completes when the <paramref name="number"/>-th request (1-based) has been received and recorded.</summary>
    public Task<Received> Arrived(int number) => Arrival(number).Task.WaitAsync(TimeSpan.FromMinutes(1));

    private TaskCompletionSource<Received> Arrival(int number) =>
        _arrivals.GetOrAdd(number, _ => new TaskCompletionSource<Received>(TaskCreationOptions.RunContinuationsAsynchronously));

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
            var received = new Received(number, context.Request.Url!.AbsolutePath, Encoding.UTF8.GetString(raw), raw, headers, answer);
            Requests.Enqueue(received);
            Arrival(number).TrySetResult(received);
            if (answer is null)
            {
                _unanswered.Add(context);
                continue;
            }
            context.Response.StatusCode = answer.Value;
            // A redirect points at another path of this receiver, so following it would show up as a request there.
            if (answer.Value is >= 300 and < 400) context.Response.RedirectLocation = Url("redirected");
            context.Response.Close();
        }
    }

    /// <summary>
    /// HttpListener cannot bind port 0, so a candidate port is picked and bound; if another process took it in
    /// between, the bind fails and the next candidate is tried. The port is ours once <c>Start</c> returned.
    /// </summary>
    private static (HttpListener Listener, int Port) Bind()
    {
        for (var attempt = 1; ; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }
}
