using CostOps.Functions.Http;
using CostOps.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Health;

/// <summary>
/// <c>GET /api/health</c> (anonymous): the trigger of its <see cref="ApiRoutes"/> entry. Function names are an
/// operational contract (alerts, dashboards and the deployment refer to them): rename one only with a migration note.
/// </summary>
public sealed class HealthFunction(IServiceProvider services)
{
    [Function("Health")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken) =>
        services.RunRouteAsync("Health", request, cancellationToken);
}
