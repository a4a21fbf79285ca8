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

    /// <summary>Bodies up to this size with a Content-Length are read in one exact buffer (admission's, on every gateway call, among them).</summary>
    private const int SmallBodyBytes = 64 * 1024;

    /// <summary>The body as text (UTF-8; a byte order mark says otherwise), for the JSON routes.</summary>
    public async Task<string> BodyTextAsync(CancellationToken cancellationToken)
    {
        if (request.ContentLength is > 0 and <= SmallBodyBytes and var length)
        {
            // One array of the body's size and one string, instead of a reader's buffers and a builder: a StreamReader
            // was a quarter of what an admission allocates. A UTF-16 or UTF-32 byte order mark goes the reader's way.
            var bytes = new byte[length];
            await request.Body.ReadExactlyAsync(bytes, cancellationToken);
            if (bytes is not [0xFE or 0xFF or 0x00, ..]) return System.Text.Encoding.UTF8.GetString(bytes.AsSpan(bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0));
            return await ReadToEndAsync(new MemoryStream(bytes), cancellationToken);
        }
        return await ReadToEndAsync(request.Body, cancellationToken);
    }

    private static async Task<string> ReadToEndAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
