using System.Globalization;
using System.Text;
using System.Text.Json;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Hosting;

namespace CostOps.Infrastructure.Budgets;

/// <summary>
/// The <c>/api/budgets</c> and <c>/api/alerts</c> routes as plain methods, so the Functions app and
/// <c>costops serve</c> are the same few lines of mapping over one implementation. Errors are RFC 9457
/// problems (<see cref="ApiProblem"/>) with <c>details</c> listing every problem found: 400 (invalid), 404, 409 (id
/// taken) or 412 (stale If-Match).
/// </summary>
public sealed class BudgetApi(BudgetService budgets, BudgetStatusService status, AlertOutbox outbox)
{
    public async Task<ApiResult> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = await budgets.ListAsync(cancellationToken);
        return new ApiResult(200, Json(w =>
        {
            w.WriteStartArray();
            foreach (var b in list.OrderBy(b => b.Budget.Id, StringComparer.Ordinal)) BudgetDefinition.Write(w, b.Budget, includeSecret: false);
            w.WriteEndArray();
        }));
    }

    public async Task<ApiResult> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var stored = await budgets.GetAsync(id, cancellationToken);
        return stored is null ? NotFound(id) : new ApiResult(200, BudgetDefinition.ToJson(stored.Budget, includeSecret: false), stored.ETag);
    }

    /// <summary>Creates a budget. The answer shows a generated webhook secret once, so the caller can configure the receiver.</summary>
    public Task<ApiResult> CreateAsync(string body, CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var stored = await budgets.AddAsync(budgets.Parse(body), cancellationToken);
        return new ApiResult(201, BudgetDefinition.ToJson(stored.Budget, includeSecret: true), stored.ETag);
    });

    public Task<ApiResult> UpdateAsync(string id, string body, string? ifMatch, CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var stored = await budgets.UpdateAsync(budgets.Parse(body, id), Preconditions.IfMatch(ifMatch), cancellationToken);
        return new ApiResult(200, BudgetDefinition.ToJson(stored.Budget, includeSecret: false), stored.ETag);
    });

    public Task<ApiResult> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default) => Guard(async () =>
        await budgets.DeleteAsync(id, Preconditions.IfMatch(ifMatch), cancellationToken) ? new ApiResult(204, null) : NotFound(id));

    /// <summary>For gateways: spend, limit, remaining, percent, forecast and state (ok, warning, exceeded).</summary>
    public async Task<ApiResult> StatusAsync(string id, CancellationToken cancellationToken = default)
    {
        var s = await status.GetAsync(id, cancellationToken);
        return s is null ? NotFound(id) : new ApiResult(200, StatusJson(s));
    }

    /// <summary>Outbox rows with their delivery status, newest first.</summary>
    public async Task<ApiResult> AlertsAsync(string? budgetId, string? deliveryStatus, CancellationToken cancellationToken = default)
    {
        string[] statuses = [AlertStatuses.Pending, AlertStatuses.Delivered, AlertStatuses.Failed, AlertStatuses.Recorded];
        if (deliveryStatus is not null && !statuses.Contains(deliveryStatus))
            return Error(ApiProblem.BadRequest, $"unknown status '{deliveryStatus}'", [$"status: one of {string.Join(", ", statuses)}."]);
        var rows = await outbox.ListAsync(budgetId, deliveryStatus, 500, cancellationToken);
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
