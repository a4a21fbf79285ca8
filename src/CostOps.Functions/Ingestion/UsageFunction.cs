using CostOps.Functions.Http;
using CostOps.Infrastructure.Ingestion;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Ingestion;

/// <summary><c>POST /api/usage</c>: usage events over HTTP (function key). The logic is <see cref="UsageApi"/>, shared with <c>costops serve</c>.</summary>
public sealed class UsageFunction(UsageApi api)
{
    [Function("IngestUsage")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "usage")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await api.ReadBodyAsync(request.Body, request.ContentLength, cancellationToken);
        var result = tooLarge ?? await api.IngestAsync(body!, "http", cancellationToken);
        return result.ToActionResult(request.HttpContext.Response);
    }
}
