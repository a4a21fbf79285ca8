using CostOps.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CostOps.Functions.Http;

/// <summary>
/// What every HTTP trigger does: run its route of <see cref="ApiRoutes"/> with the values it bound, and answer with the
/// shared <see cref="ApiResultWriter"/>. The triggers keep only the attributes the Functions host indexes.
/// </summary>
public static class ApiResults
{
    public static async Task<IActionResult> RunRouteAsync(this IServiceProvider services, string function, HttpRequest request,
        CancellationToken cancellationToken, params (string Name, string Value)[] routeValues)
    {
        var call = new ApiCall(request, services, routeValues.ToDictionary(v => v.Name, v => v.Value));
        return new ApiActionResult(await ApiRoutes.Named(function).RunAsync(call, cancellationToken));
    }

    private sealed class ApiActionResult(ApiResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.WriteAsync(context.HttpContext.Response);
    }
}
