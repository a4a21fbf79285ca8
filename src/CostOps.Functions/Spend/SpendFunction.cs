using CostOps.Functions.Http;
using CostOps.Infrastructure.Spend;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Spend;

/// <summary><c>GET /api/spend?from=&amp;to=&amp;group_by=tenant,model&amp;tenant=</c>: exact totals (see <see cref="SpendApi"/>).</summary>
public sealed class SpendFunction(SpendApi api)
{
    [Function("Spend")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "spend")] HttpRequest request, CancellationToken cancellationToken) =>
        (await api.GetAsync(request.Query["from"], request.Query["to"], request.Query["group_by"], request.Query["tenant"], cancellationToken))
            .ToActionResult(request.HttpContext.Response);
}
