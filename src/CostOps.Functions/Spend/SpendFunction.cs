using CostOps.Functions.Http;
using CostOps.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Spend;

/// <summary><c>GET /api/spend?from=&amp;to=&amp;group_by=tenant,model&amp;tenant=</c>: the trigger of its <see cref="ApiRoutes"/> entry.</summary>
public sealed class SpendFunction(IServiceProvider services)
{
    [Function("Spend")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "spend")] HttpRequest request, CancellationToken cancellationToken) =>
        services.RunRouteAsync("Spend", request, cancellationToken);
}
