using CostOps.Functions.Http;
using CostOps.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Recommendations;

/// <summary>
/// <c>GET /api/recommendations</c>, <c>POST /api/recommendations/{tenant}/{id}/accept|dismiss</c> and
/// <c>GET /api/routing/{tenant}/{project}</c>: the triggers of their <see cref="ApiRoutes"/> entries.
/// Function names are an operational contract (alerts, dashboards, deployment): rename only with a note.
/// </summary>
public sealed class RecommendationHttpFunctions(IServiceProvider services)
{
    [Function("RecommendationsList")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "recommendations")] HttpRequest request, CancellationToken cancellationToken) =>
        services.RunRouteAsync("RecommendationsList", request, cancellationToken);

    [Function("RecommendationsDecide")]
    public Task<IActionResult> Decide(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "recommendations/{tenant}/{id}/{decision}")] HttpRequest request,
        string tenant, string id, string decision, CancellationToken cancellationToken) =>
        services.RunRouteAsync("RecommendationsDecide", request, cancellationToken, ("tenant", tenant), ("id", id), ("decision", decision));

    [Function("RoutingPolicy")]
    public Task<IActionResult> Routing(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "routing/{tenant}/{project}")] HttpRequest request,
        string tenant, string project, CancellationToken cancellationToken) =>
        services.RunRouteAsync("RoutingPolicy", request, cancellationToken, ("tenant", tenant), ("project", project));
}
