using CostOps.Functions.Http;
using CostOps.Infrastructure.Budgets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Budgets;

/// <summary>
/// <c>/api/budgets</c> CRUD, <c>/api/budgets/{id}/status</c> and <c>/api/alerts</c>: bind, call <see cref="BudgetApi"/>,
/// map its result. Function names are an operational contract (alerts, dashboards, deployment): rename only with a note.
/// </summary>
public sealed class BudgetHttpFunctions(BudgetApi api)
{
    [Function("BudgetsList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "budgets")] HttpRequest request, CancellationToken cancellationToken) =>
        (await api.ListAsync(cancellationToken)).ToActionResult(request.HttpContext.Response);

    [Function("BudgetsCreate")]
    public async Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "budgets")] HttpRequest request, CancellationToken cancellationToken) =>
        (await api.CreateAsync(await Body(request, cancellationToken), cancellationToken)).ToActionResult(request.HttpContext.Response);

    [Function("BudgetsGet")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "budgets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        (await api.GetAsync(id, cancellationToken)).ToActionResult(request.HttpContext.Response);

    [Function("BudgetsUpdate")]
    public async Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "budgets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        (await api.UpdateAsync(id, await Body(request, cancellationToken), IfMatch(request), cancellationToken)).ToActionResult(request.HttpContext.Response);

    [Function("BudgetsDelete")]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "budgets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        (await api.DeleteAsync(id, IfMatch(request), cancellationToken)).ToActionResult(request.HttpContext.Response);

    /// <summary>For gateways, per request: answered from a short in-memory cache (Budgets:StatusCacheDuration).</summary>
    [Function("BudgetStatus")]
    public async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "budgets/{id}/status")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        (await api.StatusAsync(id, cancellationToken)).ToActionResult(request.HttpContext.Response);

    [Function("AlertsList")]
    public async Task<IActionResult> Alerts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "alerts")] HttpRequest request, CancellationToken cancellationToken) =>
        (await api.AlertsAsync(request.Query["budget"].FirstOrDefault(), request.Query["status"].FirstOrDefault(), cancellationToken)).ToActionResult(request.HttpContext.Response);

    private static async Task<string> Body(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static string? IfMatch(HttpRequest request) => request.Headers.IfMatch.FirstOrDefault();
}
