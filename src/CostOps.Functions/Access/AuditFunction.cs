using CostOps.Functions.Http;
using CostOps.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Access;

/// <summary><c>GET /api/audit</c>: the trigger of its <see cref="ApiRoutes"/> entry (admins for every tenant).</summary>
public sealed class AuditFunction(IServiceProvider services)
{
    [Function("AuditList")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "audit")] HttpRequest request, CancellationToken cancellationToken) =>
        services.RunRouteAsync("AuditList", request, cancellationToken);
}
