using CostOps.Functions.Http;
using CostOps.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Ingestion;

/// <summary><c>POST /api/usage</c>: usage events over HTTP (function key); the trigger of its <see cref="ApiRoutes"/> entry.</summary>
public sealed class UsageFunction(IServiceProvider services)
{
    [Function("IngestUsage")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "usage")] HttpRequest request, CancellationToken cancellationToken) =>
        services.RunRouteAsync("IngestUsage", request, cancellationToken);
}
