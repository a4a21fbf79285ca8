using System.Text;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.Webhooks;
using Microsoft.Extensions.Logging;
using CostOps.Infrastructure.Resilience;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Alerts;

/// <summary>
/// Delivers due outbox rows. Each attempt is first claimed by an ETag-conditional update (attempt counted, next
/// attempt pushed past the request timeout as a lease), so concurrent workers never send the same attempt twice.
/// Failures retry by the <c>Resilience:AlertDelivery</c> policy (capped doubling with jitter, then <c>failed</c>); 2xx is
/// <c>delivered</c>; exhausted attempts or a permanent refusal is <c>failed</c> with the last error. Every attempt
/// carries the same <c>Idempotency-Key</c> (the alert id) so receivers can drop the repeats at-least-once implies.
/// </summary>
public sealed class AlertDeliveryWorker(
    AlertOutbox outbox,
    IBudgetStore budgets,
    IWebhookSender sender,
    IOptions<AlertDeliveryOptions> options,
    IOptions<ResilienceOptions> resilience,
    IOptions<WebhookOptions> webhookOptions,
    TimeProvider time,
    ILogger<AlertDeliveryWorker> logger,
    Telemetry.CostOpsTelemetry? telemetry = null)
{
    private readonly AlertDeliveryOptions _options = options.Value;
    private readonly RetryPolicy _retry = resilience.Value.AlertDelivery;

    public async Task<DeliveryReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        // One span per run with a child per attempt (the parallel loop runs inside this span's context).
        using var run = telemetry?.StartActivity("costops.alerts.delivery.run");
        var due = await outbox.DueAsync(time.GetUtcNow(), _options.BatchSize, cancellationToken);
        int delivered = 0, retrying = 0, failed = 0, skipped = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken },
            async (entry, ct) =>
            {
                var outcome = await DeliverAsync(entry, ct);
                switch (outcome)
                {
                    case AlertStatuses.Delivered: Interlocked.Increment(ref delivered); break;
                    case AlertStatuses.Pending: Interlocked.Increment(ref retrying); break;
                    case AlertStatuses.Failed: Interlocked.Increment(ref failed); break;
                    default: Interlocked.Increment(ref skipped); break;
                }
            });
        run?.SetTag("costops.alerts.due", due.Count);
        run?.SetTag("costops.alerts.delivered", delivered);
        return new DeliveryReport(due.Count, delivered, retrying, failed, skipped);
    }

    private async Task<string?> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lease = webhookOptions.Value.RequestTimeout * 2 + TimeSpan.FromSeconds(30);
        var claimed = await outbox.TryUpdateAsync(entry with
        {
            Attempts = entry.Attempts + 1,
            LastAttemptAt = now,
            NextAttemptAt = now + lease,
        }, cancellationToken);
        if (claimed is null) return null; // another worker took this attempt

        using var attempt = telemetry?.StartDelivery(claimed.Channel, claimed.AlertId, claimed.Attempts);
        var result = await SendAsync(claimed, cancellationToken);
        var finished = time.GetUtcNow();
        OutboxEntry next;
        if (result.Success)
        {
            next = claimed with { Status = AlertStatuses.Delivered, DeliveredAt = finished, LastStatusCode = result.StatusCode, NextAttemptAt = null };
        }
        else if (result.Permanent || !_retry.AllowsAnotherAfter(claimed.Attempts))
        {
            next = claimed with { Status = AlertStatuses.Failed, LastStatusCode = result.StatusCode, LastError = Describe(result, claimed.Attempts), NextAttemptAt = null };
            logger.LogWarning("Alert {AlertId} to {Channel} of budget {BudgetId} failed after {Attempts} attempt(s): {Error}",
                claimed.AlertId, claimed.Channel, claimed.BudgetId, claimed.Attempts, result.Error);
        }
        else
        {
            next = claimed with { LastStatusCode = result.StatusCode, LastError = Describe(result, claimed.Attempts), NextAttemptAt = finished + _retry.Delay(claimed.Attempts) };
        }
        if (await outbox.TryUpdateAsync(next, cancellationToken) is null)
        {
            logger.LogWarning("Outbox row {RowKey} of budget {BudgetId} changed during its delivery attempt; its lease was too short.", claimed.RowKey, claimed.BudgetId);
        }
        Telemetry.CostOpsTelemetry.Delivered(attempt, next.Status, result.StatusCode);
        return next.Status;
    }

    private async Task<WebhookResult> SendAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        // The target is read at send time from the budget, its only home (the outbox names the channel, never the URL):
        // a changed URL is used from the next attempt on, a removed channel or budget ends the row.
        var channels = (await budgets.GetAsync(entry.BudgetId, cancellationToken))?.Budget.Channels;
        var url = channels?.Targets().FirstOrDefault(t => t.Channel == entry.Channel).Url;
        if (channels is null || url is null)
            return new WebhookResult(false, null, $"the budget was removed or has no {entry.Channel} channel any more", Permanent: true);
        // A credential still encrypted was not readable when the budget was read (the key ring's Key Vault unreachable, or
        // the ring replaced): sending it would fail on the scheme or sign with the ciphertext. Not permanent: an unreachable
        // vault comes back, and the retry policy ends the row if it does not.
        if (Secrets.SecretProtector.IsProtected(url.OriginalString)
            || (entry.Channel == ChannelNames.Webhook && channels.WebhookSecret is { } sealedSecret && Secrets.SecretProtector.IsProtected(sealedSecret)))
            return new WebhookResult(false, null, $"the budget's {entry.Channel} credential cannot be decrypted (key ring unavailable or replaced; docs/security.md)");
        var body = Encoding.UTF8.GetBytes(entry.Body);
        var headers = new Dictionary<string, string>
        {
            [WebhookSignature.IdempotencyHeader] = entry.AlertId,
            ["X-CostOps-Alert-Id"] = entry.AlertId,
            ["X-CostOps-Delivery-Attempt"] = entry.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (entry.Channel == ChannelNames.Webhook)
        {
            if (channels.WebhookSecret is not { } secret) return new WebhookResult(false, null, "the budget has no webhook secret any more", Permanent: true);
            var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
            headers[WebhookSignature.TimestampHeader] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers[WebhookSignature.Header] = WebhookSignature.HeaderValue(secret, timestamp, body);
        }
        return await sender.SendAsync(url, body, headers, cancellationToken);
    }

    private static string Describe(WebhookResult result, int attempt) => $"attempt {attempt}: {result.Error ?? "unknown error"}";
}
