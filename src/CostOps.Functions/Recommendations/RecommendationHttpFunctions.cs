using CostOps.Functions.Http;
using CostOps.Infrastructure.Recommendations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Recommendations;

/// <summary>
/// <c>GET /api/recommendations</c>, <c>POST /api/recommendations/{tenant}/{id}/accept|dismiss</c> and
/// <c>GET /api/routing/{tenant}/{project}</c>: bind, call <see cref="RecommendationApi"/>, map its result.
/// Function names are an operational contract (alerts, dashboards, deployment): rename only with a note.
/// </summary>
public sealed class RecommendationHttpFunctions(RecommendationApi api)
{
    [Function("RecommendationsList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "recommendations")] HttpRequest request, CancellationToken cancellationToken) =>
        (await api.ListAsync(request.Query["tenant"].FirstOrDefault(), request.Query["project"].FirstOrDefault(), cancellationToken))
            .ToActionResult(request.HttpContext.Response);

    [Function("RecommendationsDecide")]
    public async Task<IActionResult> Decide(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "recommendations/{tenant}/{id}/{decision}")] HttpRequest request,
        string tenant, string id, string decision, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        return (await api.DecideAsync(tenant, id, decision, body, request.Headers.IfMatch.FirstOrDefault(), cancellationToken))
            .ToActionResult(request.HttpContext.Response);
    }

    /// <summary>For gateways: the model mapping recommended (and accepted) for a project.</summary>
    [Function("RoutingPolicy")]
    public async Task<IActionResult> Routing(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "routing/{tenant}/{project}")] HttpRequest request,
        string tenant, string project, CancellationToken cancellationToken) =>
        (await api.RoutingAsync(tenant, project, cancellationToken)).ToActionResult(request.HttpContext.Response);
}
