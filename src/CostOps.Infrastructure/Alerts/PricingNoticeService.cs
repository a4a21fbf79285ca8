using System.Globalization;
using System.Text.Json;
using CostOps.Core.Budgets;
using CostOps.Core.Pricing.CommunityMap;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.Logging;

namespace CostOps.Infrastructure.Alerts;

/// <summary>
/// Pricing notices through the budget channels (docs/webhooks.md#pricing-notices): a tenant hears about a price change
/// of a model its traffic uses, and about traffic on a model without a price, on the channels of each of its enabled
/// budgets, once per notice (the outbox's deterministic keys), delivered and retried by <see cref="AlertDeliveryWorker"/>.
/// Why the tenant's budgets: they are where a tenant asked to hear about its spend, and both notices change what its
/// budgets count; a tenant without budget channels has nowhere it asked to be told.
/// </summary>
/// <param name="rollups">Traffic is read from the hourly rollup, as of every acknowledged event.</param>
public sealed class PricingNoticeService(
    AlertOutbox outbox, IBudgetStore budgets, SpendRollups rollups, SqlCatalog catalog, TimeProvider time, ILogger<PricingNoticeService> logger)
{
    /// <summary>How far back traffic counts as "the tenant uses this model" for a price change.</summary>
    public static readonly TimeSpan PriceChangeLookback = TimeSpan.FromDays(30);

    /// <summary>How far back each tick looks for traffic on models without a price (each (tenant, model) is told once).</summary>
    public static readonly TimeSpan UnknownModelLookback = TimeSpan.FromDays(7);

    /// <summary>Notifies the tenants whose traffic in the last <see cref="PriceChangeLookback"/> used a model an applied sync changed or added.</summary>
    /// <returns>The notices enqueued (one per budget).</returns>
    public async Task<int> NotifyPriceChangesAsync(PriceSyncPlan plan, CancellationToken cancellationToken = default)
    {
        if (plan.Changed.Count == 0 && plan.Added.Count == 0) return 0;
        var now = time.GetUtcNow();
        var used = (await TenantModelsAsync(now - PriceChangeLookback, cancellationToken))
            .GroupBy(r => r.Tenant, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<(string, string)>)g.Select(r => (r.Provider, r.Model.ToLowerInvariant())).ToHashSet());
        var notices = used.Select(u => PricingNotice.ForPriceChanges(u.Key, plan, u.Value, now)).OfType<PricingNotice>().ToList();
        return await EnqueueAsync(notices, cancellationToken);
    }

    /// <summary>Notifies each tenant once per model without a price seen in its traffic in the last <see cref="UnknownModelLookback"/>.</summary>
    /// <returns>The notices enqueued (one per budget).</returns>
    public async Task<int> NotifyUnknownModelsAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var marked = await outbox.NoticesMarkedAsync(cancellationToken);
        var notices = (await TenantModelsAsync(now - UnknownModelLookback, cancellationToken))
            .Where(r => r.UnpricedRequests > 0)
            .Select(r => PricingNotice.ForUnknownModel(r.Tenant, r.Provider, r.Model, r.UnpricedRequests, r.EstimatedUsd, now))
            .Where(n => !marked.Contains(n.Key))
            .ToList();
        var enqueued = await EnqueueAsync(notices, cancellationToken);
        foreach (var notice in notices) await outbox.MarkNoticeAsync(notice, cancellationToken);
        return enqueued;
    }

    private async Task<int> EnqueueAsync(IReadOnlyList<PricingNotice> notices, CancellationToken cancellationToken)
    {
        if (notices.Count == 0) return 0;
        var byTenant = (await budgets.ListAsync(cancellationToken)).Select(b => b.Budget).Where(b => b.Enabled)
            .ToLookup(b => b.Scope.Tenant, StringComparer.Ordinal);
        var enqueued = 0;
        foreach (var notice in notices)
        {
            foreach (var budget in byTenant[notice.Tenant])
            {
                if (!await outbox.EnqueueNoticeAsync(notice, budget.Id, budget.Channels, cancellationToken)) continue;
                enqueued++;
                logger.LogInformation("Pricing notice {Key} for tenant {Tenant} enqueued to budget {BudgetId}.", notice.Key, notice.Tenant, budget.Id);
            }
        }
        return enqueued;
    }

    private async Task<List<TenantModel>> TenantModelsAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        var json = await rollups.QueryAsync(catalog.Get(SqlNames.Pricing.TenantModels), "JSONEachRow", new QueryParameters
        {
            { "from", from },
        }, cancellationToken);
        var rows = new List<TenantModel>();
        foreach (var line in json.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var r = document.RootElement;
            rows.Add(new TenantModel(r.GetProperty("tenant").GetString()!, r.GetProperty("provider").GetString()!, r.GetProperty("model").GetString()!,
                r.GetProperty("unpriced_requests").GetInt64(),
                decimal.Parse(r.GetProperty("estimated_cost_usd").GetString()!, CultureInfo.InvariantCulture)));
        }
        return rows;
    }

    private sealed record TenantModel(string Tenant, string Provider, string Model, long UnpricedRequests, decimal EstimatedUsd);
}
