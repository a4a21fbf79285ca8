using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CostOps.Infrastructure.Hosting;

/// <summary>The route table on ASP.NET Core (<c>serve</c>); the Functions app's triggers stand for the same table.</summary>
public static class ApiEndpoints
{
    /// <summary>Maps every route of <see cref="ApiRoutes"/> under <c>/api</c>, each run through <see cref="ApiRoute.RunAsync"/>.</summary>
    public static void MapCostOpsApi(this IEndpointRouteBuilder endpoints)
    {
        foreach (var route in ApiRoutes.All)
        {
            endpoints.MapMethods("/api/" + route.Template, [route.Method], async (HttpContext http) =>
            {
                var values = route.Parameters.ToDictionary(p => p, p => Convert.ToString(http.Request.RouteValues[p], CultureInfo.InvariantCulture) ?? "");
                var result = await route.RunAsync(new ApiCall(http.Request, http.RequestServices, values), http.RequestAborted);
                await result.WriteAsync(http.Response, http.RequestAborted);
            });
        }
    }
}
