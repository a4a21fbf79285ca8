using System.Globalization;
using CostOps.Core.Budgets;
using CostOps.Core.Recommendations;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>
/// After a scheduled run, tells each tenant's budget channels (generic webhook signed like alerts, Slack, Teams) about
/// the recommendations that are new since the previous run of the same coverage and worth at least
/// <see cref="RecommendationOptions.DigestMinimumSavingsUsd"/> per 30 days. Nothing new, nothing sent. One attempt per
/// channel with the run and tenant as idempotency key: a digest is a nudge, the recommendations stay in the API.
/// </summary>
public sealed class RecommendationDigest(
    RecommendationRepository repository,
    RecommendationStateStore decisions,
    IBudgetStore budgets,
    IWebhookSender sender,
    TimeProvider time,
    IOptions<RecommendationOptions> options,
    ILogger<RecommendationDigest> logger)
{
    /// <summary>Sends the digests of a run that was just written; returns the number of deliveries that succeeded.</summary>
    public async Task<int> SendAsync(RecommendationRun run, CancellationToken cancellationToken = default)
    {
        var fresh = await NewWorthyAsync(run, cancellationToken);
        if (fresh.Count == 0) return 0;
        var all = await budgets.ListAsync(cancellationToken);
        var delivered = 0;
        foreach (var tenant in fresh.GroupBy(r => r.Tenant, StringComparer.Ordinal))
        {
            var items = tenant.ToList();
            var targets = all.Where(b => b.Budget.Enabled && b.Budget.Scope.Tenant == tenant.Key)
                .SelectMany(b => b.Budget.Channels.Targets().Select(t => (t.Channel, t.Url, b.Budget.Channels.WebhookSecret)))
                .DistinctBy(t => t.Url.AbsoluteUri)
                .ToList();
            foreach (var (channel, url, secret) in targets)
            {
                var body = channel switch
                {
                    ChannelNames.Slack => DigestPayloads.Slack(run, tenant.Key, items),
                    ChannelNames.Teams => DigestPayloads.Teams(run, tenant.Key, items),
                    _ => DigestPayloads.Generic(run, tenant.Key, items),
                };
                var headers = new Dictionary<string, string> { [WebhookSignature.IdempotencyHeader] = $"{run.RunId}-{tenant.Key}" };
                if (channel == ChannelNames.Webhook && !string.IsNullOrEmpty(secret))
                {
                    var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
                    headers[WebhookSignature.TimestampHeader] = timestamp.ToString(CultureInfo.InvariantCulture);
                    headers[WebhookSignature.Header] = WebhookSignature.HeaderValue(secret, timestamp, body);
                }
                var result = await sender.SendAsync(url, body, headers, cancellationToken);
                if (result.Success) delivered++;
                else logger.LogWarning("Recommendation digest for {Tenant} to {Channel} failed: {Status} {Error}", tenant.Key, channel, result.StatusCode, result.Error);
            }
        }
        return delivered;
    }

    /// <summary>The run's recommendations absent from the previous run, not dismissed, and worth the minimum.</summary>
    public async Task<IReadOnlyList<Recommendation>> NewWorthyAsync(RecommendationRun run, CancellationToken cancellationToken = default)
    {
        var minimum = options.Value.DigestMinimumSavingsUsd;
        var runs = await repository.LatestRunsAsync(run.TenantFilter, 10, cancellationToken);
        var previous = runs.Where(r => r.RunAt < run.RunAt || (r.RunAt == run.RunAt && r.RunId != run.RunId && string.CompareOrdinal(r.RunId, run.RunId) < 0))
            .OrderByDescending(r => r.RunAt).FirstOrDefault();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (previous.RunId is not null)
        {
            var old = await repository.ReadRunAsync(previous.RunId, previous.RunAt, previous.WindowDays, run.TenantFilter, null, cancellationToken);
            foreach (var r in old!.Recommendations) seen.Add(r.Id);
        }
        var result = new List<Recommendation>();
        foreach (var tenant in run.Recommendations.Where(r => !seen.Contains(r.Id) && r.EstimatedSavings30dUsd >= minimum)
                     .GroupBy(r => r.Tenant, StringComparer.Ordinal))
        {
            var states = await decisions.ListAsync(tenant.Key, cancellationToken);
            result.AddRange(tenant.Where(r => !states.TryGetValue(r.Id, out var d) || d.State != RecommendationDecision.Dismissed));
        }
        return result;
    }
}
