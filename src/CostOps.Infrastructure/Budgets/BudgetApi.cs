using System.Globalization;
using System.Text;
using System.Text.Json;
using CostOps.Core.Access;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Hosting;

namespace CostOps.Infrastructure.Budgets;

/// <summary>
/// The <c>/api/budgets</c> and <c>/api/alerts</c> routes as plain methods, so the Functions app and
/// <c>costops serve</c> are the same few lines of mapping over one implementation. Errors are RFC 9457
/// problems (<see cref="ApiProblem"/>) with <c>details</c> listing every problem found: 400 (invalid), 404, 409 (id
/// taken) or 412 (stale If-Match).
/// Every method takes the caller's tenants (all when null): a budget of another tenant is 404, exactly as one that does
/// not exist; creating one for, or moving one to, another tenant is 403 (<see cref="TenantAccess"/>).
/// </summary>
public sealed class BudgetApi(BudgetService budgets, BudgetStatusService status, AlertOutbox outbox)
{
    public async Task<ApiResult> ListAsync(TenantScope? scope = null, CancellationToken cancellationToken = default)
    {
        var list = await VisibleAsync(scope, cancellationToken);
        return new ApiResult(200, Json(w =>
        {
            w.WriteStartArray();
            foreach (var b in list.OrderBy(b => b.Budget.Id, StringComparer.Ordinal)) BudgetDefinition.Write(w, b.Budget, includeSecret: false);
            w.WriteEndArray();
        }));
    }

    public async Task<ApiResult> GetAsync(string id, TenantScope? scope = null, CancellationToken cancellationToken = default)
    {
        var stored = await VisibleAsync(id, scope, cancellationToken);
        return stored is null ? NotFound(id) : new ApiResult(200, BudgetDefinition.ToJson(stored.Budget, includeSecret: false), stored.ETag);
    }

    /// <summary>
    /// Creates a budget. The answer shows a generated webhook secret once, so the caller can configure the receiver;
    /// Slack and Teams URLs (and a secret the caller chose) come back as hints only.
    /// </summary>
    public Task<ApiResult> CreateAsync(string body, TenantScope? scope = null, CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var budget = budgets.Parse(body);
        if (scope is not null && !scope.Allows(budget.Scope.Tenant)) return TenantAccess.Forbidden(budget.Scope.Tenant);
        var stored = await budgets.AddAsync(budget, cancellationToken);
        var generated = budget.Channels.WebhookSecret is null && stored.Budget.Channels.WebhookSecret is not null;
        return new ApiResult(201, BudgetDefinition.ToJson(stored.Budget, includeSecret: false, revealWebhookSecret: generated), stored.ETag);
    });

    public Task<ApiResult> UpdateAsync(string id, string body, string? ifMatch, TenantScope? scope = null, CancellationToken cancellationToken = default) => Guard(async () =>
    {
        if (await VisibleAsync(id, scope, cancellationToken) is not { } existing) return NotFound(id);
        var budget = budgets.Parse(body, id, existing.Budget);
        if (scope is not null && !scope.Allows(budget.Scope.Tenant)) return TenantAccess.Forbidden(budget.Scope.Tenant);
        var stored = await budgets.UpdateAsync(budget, Preconditions.IfMatch(ifMatch), cancellationToken);
        return new ApiResult(200, BudgetDefinition.ToJson(stored.Budget, includeSecret: false), stored.ETag);
    });

    public Task<ApiResult> DeleteAsync(string id, string? ifMatch, TenantScope? scope = null, CancellationToken cancellationToken = default) => Guard(async () =>
        await VisibleAsync(id, scope, cancellationToken) is not null && await budgets.DeleteAsync(id, Preconditions.IfMatch(ifMatch), cancellationToken)
            ? new ApiResult(204, null)
            : NotFound(id));

    /// <summary>A new webhook signing secret, shown in this answer only (the old one stops signing at once).</summary>
    public Task<ApiResult> RotateSecretAsync(string id, TenantScope? scope = null, CancellationToken cancellationToken = default) => Guard(async () =>
    {
        if (await VisibleAsync(id, scope, cancellationToken) is null) return NotFound(id);
        var stored = await budgets.RotateSecretAsync(id, cancellationToken);
        return new ApiResult(200, BudgetDefinition.ToJson(stored.Budget, includeSecret: false, revealWebhookSecret: true), stored.ETag);
    });

    /// <summary>For gateways: spend, limit, remaining, percent, forecast and state (ok, warning, exceeded).</summary>
    public async Task<ApiResult> StatusAsync(string id, TenantScope? scope = null, CancellationToken cancellationToken = default)
    {
        var s = await status.GetAsync(id, cancellationToken);
        return s is null || (scope is not null && !scope.Allows(s.Tenant)) ? NotFound(id) : new ApiResult(200, StatusJson(s));
    }

    /// <summary>Outbox rows with their delivery status, newest first; a scoped caller sees those of its tenants' current budgets.</summary>
    public async Task<ApiResult> AlertsAsync(string? budgetId, string? deliveryStatus, TenantScope? scope = null, CancellationToken cancellationToken = default)
    {
        string[] statuses = [AlertStatuses.Pending, AlertStatuses.Delivered, AlertStatuses.Failed, AlertStatuses.Recorded];
        if (deliveryStatus is not null && !statuses.Contains(deliveryStatus))
            return Error(ApiProblem.BadRequest, $"unknown status '{deliveryStatus}'", [$"status: one of {string.Join(", ", statuses)}."]);
        HashSet<string>? visible = null;
        if (scope is { IsAll: false })
        {
            visible = (await VisibleAsync(scope, cancellationToken)).Select(b => b.Budget.Id).ToHashSet(StringComparer.Ordinal);
            if (budgetId is not null && !visible.Contains(budgetId)) return NotFound(budgetId);
        }
        var rows = (await outbox.ListAsync(budgetId, deliveryStatus, 500, cancellationToken)).Where(r => visible is null || visible.Contains(r.BudgetId));
        return new ApiResult(200, Json(w =>
        {
            w.WriteStartArray();
            foreach (var r in rows) WriteAlert(w, r);
            w.WriteEndArray();
        }));
    }

    public static string StatusJson(BudgetStatus s) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("budget", s.BudgetId);
        w.WriteString("state", s.State.ToString().ToLowerInvariant());
        w.WriteNumber("spend_usd", decimal.Round(s.SpendUsd, 6));
        w.WriteNumber("estimated_spend_usd", decimal.Round(s.EstimatedSpendUsd, 6));
        w.WriteNumber("limit_usd", s.LimitUsd);
        w.WriteNumber("reserved_usd", decimal.Round(s.ReservedUsd, 6));
        w.WriteNumber("remaining_usd", decimal.Round(s.RemainingUsd, 6));
        w.WriteNumber("percent", s.Percent);
        w.WriteNumber("forecast_usd", decimal.Round(s.ForecastUsd, 6));
        w.WriteStartObject("period");
        w.WriteString("key", s.Period.Key);
        w.WriteString("start", s.Period.Start);
        w.WriteString("end", s.Period.End);
        w.WriteEndObject();
        w.WriteString("evaluated_at", s.EvaluatedAt);
        w.WriteEndObject();
    });

    public static void WriteAlert(Utf8JsonWriter w, OutboxEntry r)
    {
        w.WriteStartObject();
        w.WriteString("alert_id", r.AlertId);
        w.WriteString("budget", r.BudgetId);
        w.WriteString("period", r.PeriodKey);
        w.WriteNumber("threshold", r.Threshold);
        w.WriteString("kind", r.Kind);
        w.WriteNumber("limit_usd", r.LimitUsd);
        w.WriteString("channel", r.Channel);
        w.WriteString("status", r.Status);
        w.WriteNumber("attempts", r.Attempts);
        w.WriteString("created_at", r.CreatedAt);
        if (r.NextAttemptAt is { } next && r.Status == AlertStatuses.Pending) w.WriteString("next_attempt_at", next);
        if (r.DeliveredAt is { } delivered) w.WriteString("delivered_at", delivered);
        if (r.LastStatusCode is { } code) w.WriteNumber("last_status_code", code);
        if (r.LastError is not null) w.WriteString("last_error", r.LastError);
        w.WriteString("summary", r.Summary);
        w.WriteEndObject();
    }

    private async Task<IReadOnlyList<StoredBudget>> VisibleAsync(TenantScope? scope, CancellationToken cancellationToken) =>
        (await budgets.ListAsync(cancellationToken)).Where(b => scope is null || scope.Allows(b.Budget.Scope.Tenant)).ToList();

    /// <summary>The budget when it exists and the caller may see it; otherwise null, the two cases alike.</summary>
    private async Task<StoredBudget?> VisibleAsync(string id, TenantScope? scope, CancellationToken cancellationToken) =>
        await budgets.GetAsync(id, cancellationToken) is { } stored && (scope is null || scope.Allows(stored.Budget.Scope.Tenant)) ? stored : null;

    private static async Task<ApiResult> Guard(Func<Task<ApiResult>> action)
    {
        try
        {
            return await action();
        }
        catch (BudgetValidationException e)
        {
            return Error(ApiProblem.BadRequest, "invalid budget", e.Errors);
        }
        catch (BudgetNotFoundException e)
        {
            return NotFound(e.Id);
        }
        catch (BudgetConflictException e)
        {
            return Error(e.PreconditionFailed ? ApiProblem.PreconditionFailed : ApiProblem.Conflict, e.Message, []);
        }
    }

    private static ApiResult NotFound(string id) => Error(ApiProblem.NotFound, $"no budget '{id}'", []);

    /// <summary>An RFC 9457 problem; <c>details</c> (an extension member) lists every problem found.</summary>
    private static ApiResult Error(ApiProblem problem, string message, IReadOnlyList<string> details) =>
        problem.Result(details.Count == 0 ? message : $"{message}: {string.Join(" ", details)}", w =>
        {
            w.WriteStartArray("details");
            foreach (var d in details) w.WriteStringValue(d);
            w.WriteEndArray();
        });

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) write(w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
