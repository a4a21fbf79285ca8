using CostOps.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Health;

/// <summary>
/// <c>GET /api/health</c>: ClickHouse answers. Function names are an operational contract (alerts, dashboards and
/// the deployment refer to them): rename one only with a migration note.
/// </summary>
public sealed class HealthFunction(HealthApi health)
{
    [Function("Health")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        return new OkObjectResult(await health.CheckAsync(cancellationToken));
    }
}
