using System.Net;
using System.Text;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>Serves one map over HTTP on loopback until disposed.</summary>
public sealed class MapServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private int _requests;

    public MapServer(string body)
    {
        var port = TestEnvironment.FreePort();
        Url = $"http://127.0.0.1:{port}/model_prices_and_context_window.json";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception) when (!_listener.IsListening) { return; }
                Interlocked.Increment(ref _requests);
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    public int Requests => Volatile.Read(ref _requests);

    public void Dispose() => _listener.Close();
}
