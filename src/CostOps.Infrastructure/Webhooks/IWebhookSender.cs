namespace CostOps.Infrastructure.Webhooks;

/// <summary>Posts one prepared body to one URL, once. Retries are the delivery worker's business, not the sender's.</summary>
public interface IWebhookSender
{
    Task<WebhookResult> SendAsync(Uri url, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken = default);
}
