using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace CostOps.Cli;

/// <summary>
/// The demo's local webhook endpoint: a real HTTP listener on loopback that receives budget alerts and checks each
/// signature with the recipe in docs/webhooks.md, as a user's receiver would.
/// </summary>
public sealed class DemoWebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly string _secret;

    public DemoWebhookReceiver(string secret)
    {
        _secret = secret;
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/costops-alerts/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public List<(string Summary, bool SignatureValid)> Received { get; } = [];

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext http;
            try
            {
                http = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await http.Request.InputStream.CopyToAsync(body);
            var raw = body.ToArray();
            var valid = Verify(http.Request.Headers["X-CostOps-Signature"], raw);
            var summary = System.Text.Json.JsonDocument.Parse(raw).RootElement.TryGetProperty("summary", out var s) ? s.GetString() ?? "" : "";
            lock (Received) Received.Add((summary, valid));
            http.Response.StatusCode = valid ? 200 : 401;
            http.Response.Close();
        }
    }

    private bool Verify(string? header, byte[] raw)
    {
        if (header is null) return false;
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)) return false;
        var message = Encoding.UTF8.GetBytes(t + ".").Concat(raw).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_secret), message));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(v1));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
