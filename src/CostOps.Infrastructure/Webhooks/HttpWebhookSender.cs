using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using CostOps.Core.Budgets;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Webhooks;

/// <summary>
/// POSTs JSON with one long-lived <see cref="HttpClient"/>. In production mode the connection itself resolves the
/// host and refuses private, loopback and link-local addresses before connecting, and redirects are not followed
/// (a redirect could point anywhere). The request timeout runs on the injected <see cref="TimeProvider"/>, so it covers
/// connect to last response byte and tests can expire it without waiting.
/// </summary>
public sealed class HttpWebhookSender : IWebhookSender, IDisposable
{
    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;

    public HttpWebhookSender(IOptions<WebhookOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        // In every mode: only the loopback exception is configurable, never the rest of the private ranges.
        var allowLoopback = _options.AllowLocal;
        handler.ConnectCallback = (context, token) => ConnectPublicOnlyAsync(context, allowLoopback, token);
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("CostOps-Webhook", "1"));
    }

    public async Task<WebhookResult> SendAsync(Uri url, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken = default)
    {
        using var expiry = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return new WebhookResult(true, code, null);
            // 408, 429 and 5xx are the receiver's temporary trouble; other answers will not change by retrying.
            var permanent = code is >= 300 and < 500 and not 408 and not 429;
            return new WebhookResult(false, code, $"HTTP {code} {response.ReasonPhrase}", permanent);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookResult(false, null, $"timed out after {_options.RequestTimeout.TotalSeconds:0.###} s without a response");
        }
        catch (HttpRequestException e) when (e.InnerException is RefusedAddressException refused)
        {
            return new WebhookResult(false, null, refused.Message, Permanent: true);
        }
        catch (HttpRequestException e)
        {
            return new WebhookResult(false, null, $"{e.HttpRequestError}: {e.Message}");
        }
    }

    public void Dispose() => _client.Dispose();

    private static async ValueTask<Stream> ConnectPublicOnlyAsync(SocketsHttpConnectionContext context, bool allowLoopback, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => WebhookUrlRules.IsAllowedTarget(a, allowLoopback)).ToArray();
        if (allowed.Length == 0)
        {
            throw new RefusedAddressException($"'{context.DnsEndPoint.Host}' resolves only to private, loopback or link-local addresses; refused.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class RefusedAddressException(string message) : Exception(message);
}
