using CostOps.Core.Access;
using CostOps.Infrastructure.Ingestion;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// Runs one route of <see cref="ApiRoutes"/> for either host: authenticates the caller (<see cref="ApiAuthenticator"/>),
/// checks the route's <see cref="ApiRoute.Need"/> against the caller's role, then calls the handler with the caller, whose
/// tenants the handler applies. 401 without a valid key, 403 when the role does not reach.
/// </summary>
public static class ApiRouteRunner
{
    public static async Task<ApiResult> RunAsync(this ApiRoute route, HttpRequest request, IServiceProvider services,
        IReadOnlyDictionary<string, string> routeValues, CancellationToken cancellationToken)
    {
        Caller? caller = null;
        if (!route.Anonymous)
        {
            caller = await services.GetRequiredService<ApiAuthenticator>().AuthenticateAsync(request, cancellationToken);
            if (caller is null)
                return new ApiResult(401, UsageApi.Problem(401, "Unauthorized",
                    $"Send an API key in the {ApiAuthenticator.KeyHeader} header (or Authorization: Bearer). Keys in the query string are not accepted."));
            if (!caller.Can(route.Need))
                return new ApiResult(403, UsageApi.Problem(403, "Forbidden",
                    $"A {Roles.Name(caller.Role)} key{(caller.Tenants.IsAll ? "" : " for some tenants")} may not call {route.Method} /api/{route.Template}."));
            // Whatever this call changes is recorded as the caller's doing.
            Access.AuditActor.Current = caller.Id;
        }
        return await route.Handle(new ApiCall(request, services, routeValues, caller), cancellationToken);
    }
}
