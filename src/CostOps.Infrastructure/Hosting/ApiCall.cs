using CostOps.Core.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// One HTTP call as a route handler sees it, whichever host received it: the request, the host's services and the
/// route's values. The Functions app passes the values its trigger bound; <c>serve</c> passes ASP.NET Core's.
/// The body is read here and only here.
/// </summary>
public sealed class ApiCall(HttpRequest request, IServiceProvider services, IReadOnlyDictionary<string, string> routeValues, Caller? caller = null)
{
    public HttpRequest Request => request;

    /// <summary>The authenticated caller (<see cref="ApiRouteRunner"/>); anonymous routes have none.</summary>
    public Caller Caller => caller ?? throw new InvalidOperationException("An anonymous route has no caller.");

    /// <summary>The tenants the caller may see and change.</summary>
    public TenantScope Tenants => Caller.Tenants;

    public T Service<T>() where T : notnull => services.GetRequiredService<T>();

    /// <summary>
    /// On an anonymous route, whether the request also carries an admin's key (or principal). A missing, wrong or
    /// unverifiable key (Tables down) is simply not an admin: an anonymous route never refuses for its key.
    /// </summary>
    public async Task<bool> IsAdminAsync(CancellationToken cancellationToken)
    {
        if (caller is not null) return caller.Can(Permission.Admin);
        try
        {
            return (await Service<ApiAuthenticator>().AuthenticateAsync(request, cancellationToken))?.Can(Permission.Admin) == true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A value of the route template (<c>{id}</c>); the route table guarantees it is there.</summary>
    public string Route(string name) => routeValues[name];

    public string? Query(string name) => request.Query[name].FirstOrDefault();

    /// <summary>The If-Match header as sent (the APIs read it through <see cref="Preconditions.IfMatch"/>).</summary>
    public string? IfMatch => request.Headers.IfMatch.FirstOrDefault();

    /// <summary>The body as text (UTF-8), for the JSON routes.</summary>
    public async Task<string> BodyTextAsync(CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
