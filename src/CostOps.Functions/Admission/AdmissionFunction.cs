using CostOps.Functions.Http;
using CostOps.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Admission;

/// <summary>
/// <c>POST /api/admission</c>: the trigger of its <see cref="ApiRoutes"/> entry. Several instances admit against the same
/// counters in Azure Tables (ETags), so scale-out keeps blocking budgets exact.
/// </summary>
public sealed class AdmissionFunction(IServiceProvider services)
{
    [Function("Admission")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "admission")] HttpRequest request, CancellationToken cancellationToken) =>
        services.RunRouteAsync("Admission", request, cancellationToken);
}
