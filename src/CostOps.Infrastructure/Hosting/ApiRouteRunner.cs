using CostOps.Core.Access;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// Runs one route of <see cref="ApiRoutes"/> for either host: authenticates the caller (<see cref="ApiAuthenticator"/>),
/// checks the route's <see cref="ApiRoute.Need"/> against the caller's role, then calls the handler with the caller, whose
/// tenants the handler applies. 401 without a valid key, 403 when the role does not reach, 503 + Retry-After when
/// ClickHouse or Azure Tables does not answer or a credential cannot be encrypted for storage.
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
                return ApiProblem.Unauthorized.Result(
                    $"Send an API key in the {ApiAuthenticator.KeyHeader} header (or Authorization: Bearer). Keys in the query string are not accepted.");
            if (!caller.Can(route.Need))
                return ApiProblem.Forbidden.Result(
                    $"A {Roles.Name(caller.Role)} key{(caller.Tenants.IsAll ? "" : " for some tenants")} may not call {route.Method} /api/{route.Template}.");
            // Whatever this call changes is recorded as the caller's doing.
            Access.AuditActor.Current = caller.Id;
        }
        try
        {
            return await route.Handle(new ApiCall(request, services, routeValues, caller), cancellationToken);
        }
        catch (ClickHouseUnavailableException e)
        {
            // No caller's fault, answered the same on every route: 503 with Retry-After, never a 500 or a hung request.
            services.GetRequiredService<ILoggerFactory>().CreateLogger("CostOps.Api").LogWarning(e, "{Method} /api/{Route}: ClickHouse unavailable", route.Method, route.Template);
            return ApiProblem.ClickHouseUnavailable.Result("ClickHouse did not answer; retry after the delay given (a retry counts nothing twice).");
        }
        catch (Exception e) when (TableStorage.IsUnavailable(e))
        {
            // The same for Azure Tables (prices before their first load, budgets, keys): 503, not a 500 after the SDK's retries.
            services.GetRequiredService<ILoggerFactory>().CreateLogger("CostOps.Api").LogWarning(e, "{Method} /api/{Route}: Azure Tables unavailable", route.Method, route.Template);
            return ApiProblem.TablesUnavailable.Result("Azure Tables did not answer; retry after the delay given (a retry counts nothing twice).");
        }
        catch (Secrets.SecretsUnavailableException e)
        {
            // A credential sent to be stored cannot be encrypted: nothing was stored. An error in the log (the operator
            // must look: Key Vault access or the wrapping setting), a 503 to the caller (it may pass by itself).
            services.GetRequiredService<ILoggerFactory>().CreateLogger("CostOps.Api").LogError(e, "{Method} /api/{Route}: key ring unavailable", route.Method, route.Template);
            return ApiProblem.SecretsUnavailable.Result("The credential could not be encrypted for storage (the key ring is unavailable); nothing was stored, retry after the delay given.");
        }
    }
}
