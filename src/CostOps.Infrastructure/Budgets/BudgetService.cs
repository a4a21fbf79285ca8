using System.Security.Cryptography;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Access;
using CostOps.Infrastructure.Webhooks;

namespace CostOps.Infrastructure.Budgets;

/// <summary>
/// Budget management shared by the HTTP API and the CLI: validation (with the deployment's URL policy, DNS
/// included), a generated signing secret when a webhook is given without one, and the store's ETags.
/// </summary>
public sealed class BudgetService(IBudgetStore store, WebhookUrlPolicy urlPolicy, BudgetStatusService status, AuditLog audit, Admission.EnforcingBudgets enforcing)
{
    public bool AllowLocalUrls => urlPolicy.AllowLocal;

    public Task<StoredBudget?> GetAsync(string id, CancellationToken cancellationToken = default) => store.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<StoredBudget>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    /// <summary>Parses a JSON definition with this deployment's URL policy (throws <see cref="BudgetValidationException"/>).</summary>
    /// <param name="stored">The budget an update replaces: its masked credentials sent back keep their stored values.</param>
    public Budget Parse(string json, string? idFromRoute = null, Budget? stored = null) =>
        BudgetDefinition.Parse(json, AllowLocalUrls, idFromRoute, stored);

    public async Task<StoredBudget> AddAsync(Budget budget, CancellationToken cancellationToken = default)
    {
        budget = await PrepareAsync(budget, null, cancellationToken);
        var added = await store.AddAsync(budget, cancellationToken);
        enforcing.Invalidate();
        await audit.RecordAsync("budget.create", budget.Id, null, Shown(added.Budget), cancellationToken);
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
        await audit.RecordAsync("budget.update", budget.Id, Shown(existing.Budget), Shown(updated.Budget), cancellationToken);
        return updated;
    }

    public async Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var existing = await store.GetAsync(id, cancellationToken);
        var removed = await store.DeleteAsync(id, ifMatch, cancellationToken);
        status.Invalidate(id);
        enforcing.Invalidate();
        if (removed) await audit.RecordAsync("budget.delete", id, existing is null ? null : Shown(existing.Budget), null, cancellationToken);
        return removed;
    }

    /// <summary>Replaces the webhook signing secret with a new random one; returns the budget with it (shown once).</summary>
    public async Task<StoredBudget> RotateSecretAsync(string id, CancellationToken cancellationToken = default)
    {
        var existing = await store.GetAsync(id, cancellationToken) ?? throw new BudgetNotFoundException(id);
        if (existing.Budget.Channels.WebhookUrl is null)
            throw new BudgetValidationException(["channels.webhook: the budget has no webhook, so no signing secret to rotate."]);
        var budget = existing.Budget with { Channels = existing.Budget.Channels with { WebhookSecret = NewSecret() } };
        var rotated = await store.UpdateAsync(budget, existing.ETag, cancellationToken);
        await audit.RecordAsync("budget.rotate-secret", id, Shown(existing.Budget), Shown(rotated.Budget), cancellationToken);
        return rotated;
    }

    /// <summary>A budget as the audit trail keeps it: credentials as hints only.</summary>
    private static string Shown(Budget budget) => BudgetDefinition.ToJson(budget, includeSecret: false);

    /// <summary>A new random signing secret (32 bytes, base64url).</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<Budget> PrepareAsync(Budget budget, Budget? existing, CancellationToken cancellationToken)
    {
        var channels = budget.Channels;
        if (channels.WebhookUrl is not null && channels.WebhookSecret is null)
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
