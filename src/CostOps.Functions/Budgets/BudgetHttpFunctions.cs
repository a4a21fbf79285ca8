using CostOps.Functions.Http;
using CostOps.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Budgets;

/// <summary>
/// <c>/api/budgets</c> CRUD, <c>/api/budgets/{id}/status</c> and <c>/api/alerts</c>: the triggers of their
/// <see cref="ApiRoutes"/> entries. Function names are an operational contract (alerts, dashboards, deployment):
/// rename only with a note.
/// </summary>
public sealed class BudgetHttpFunctions(IServiceProvider services)
{
    [Function("BudgetsList")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "budgets")] HttpRequest request, CancellationToken cancellationToken) =>
        services.RunRouteAsync("BudgetsList", request, cancellationToken);

    [Function("BudgetsCreate")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "budgets")] HttpRequest request, CancellationToken cancellationToken) =>
        services.RunRouteAsync("BudgetsCreate", request, cancellationToken);

    [Function("BudgetsGet")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "budgets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        services.RunRouteAsync("BudgetsGet", request, cancellationToken, ("id", id));

    [Function("BudgetsUpdate")]
    public Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "budgets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        services.RunRouteAsync("BudgetsUpdate", request, cancellationToken, ("id", id));

    [Function("BudgetsDelete")]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "budgets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        services.RunRouteAsync("BudgetsDelete", request, cancellationToken, ("id", id));

    [Function("BudgetsRotateSecret")]
    public Task<IActionResult> RotateSecret(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "budgets/{id}/rotate-secret")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        services.RunRouteAsync("BudgetsRotateSecret", request, cancellationToken, ("id", id));

    [Function("BudgetStatus")]
    public Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "budgets/{id}/status")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        services.RunRouteAsync("BudgetStatus", request, cancellationToken, ("id", id));

    [Function("AlertsList")]
    public Task<IActionResult> Alerts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "alerts")] HttpRequest request, CancellationToken cancellationToken) =>
        services.RunRouteAsync("AlertsList", request, cancellationToken);
}
