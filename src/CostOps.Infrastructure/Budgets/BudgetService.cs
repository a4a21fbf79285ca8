using System.Security.Cryptography;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Webhooks;

namespace CostOps.Infrastructure.Budgets;

/// <summary>
/// Budget management shared by the HTTP API and the CLI: validation (with the deployment's URL policy, DNS
/// included), a generated signing secret when a webhook is given without one, and the store's ETags.
/// </summary>
public sealed class BudgetService(IBudgetStore store, WebhookUrlPolicy urlPolicy, BudgetStatusService status, Admission.EnforcingBudgets enforcing)
{
    public bool AllowLocalUrls => urlPolicy.AllowLocal;

    public Task<StoredBudget?> GetAsync(string id, CancellationToken cancellationToken = default) => store.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<StoredBudget>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    /// <summary>Parses a JSON definition with this deployment's URL policy (throws <see cref="BudgetValidationException"/>).</summary>
    public Budget Parse(string json, string? idFromRoute = null) =>
        BudgetDefinition.Parse(json, AllowLocalUrls, idFromRoute);

    public async Task<StoredBudget> AddAsync(Budget budget, CancellationToken cancellationToken = default)
    {
        budget = await PrepareAsync(budget, null, cancellationToken);
        var added = await store.AddAsync(budget, cancellationToken);
        enforcing.Invalidate();
        return added;
    }

    /// <summary>Replaces a budget. A webhook secret left out keeps the stored one.</summary>
    public async Task<StoredBudget> UpdateAsync(Budget budget, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var existing = await store.GetAsync(budget.Id, cancellationToken) ?? throw new BudgetNotFoundException(budget.Id);
        budget = await PrepareAsync(budget, existing.Budget, cancellationToken);
        var updated = await store.UpdateAsync(budget, ifMatch ?? existing.ETag, cancellationToken);
        status.Invalidate(budget.Id);
        enforcing.Invalidate();
        return updated;
    }

    public async Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var removed = await store.DeleteAsync(id, ifMatch, cancellationToken);
        status.Invalidate(id);
        enforcing.Invalidate();
        return removed;
    }

    /// <summary>A new random signing secret (32 bytes, base64url).</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<Budget> PrepareAsync(Budget budget, Budget? existing, CancellationToken cancellationToken)
    {
        var channels = budget.Channels;
        if (channels.WebhookUrl is not null && channels.WebhookSecret is null or "***")
        {
            channels = channels with { WebhookSecret = existing?.Channels.WebhookSecret ?? NewSecret() };
        }
        if (channels.WebhookUrl is null) channels = channels with { WebhookSecret = null };
        budget = budget with { Channels = channels };

        var errors = BudgetDefinition.Validate(budget, AllowLocalUrls).ToList();
        if (errors.Count == 0)
        {
            foreach (var (channel, url) in channels.Targets())
                errors.AddRange(await urlPolicy.CheckAsync(url, "channels." + channel, cancellationToken));
        }
        if (errors.Count > 0) throw new BudgetValidationException(errors);
        return budget;
    }
}
