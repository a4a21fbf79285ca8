using System.Security.Cryptography;
using System.Text;
using CostOps.Core.Access;
using CostOps.Infrastructure.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// Who sent a request, the same way in both hosts: a key from <c>x-api-key</c> or <c>Authorization: Bearer</c> (never
/// the query string, which lands in logs), either the bootstrap admin key or a scoped key of <see cref="ApiKeyStore"/>;
/// or, where configured, App Service Authentication's principal (<see cref="AppServicePrincipal"/>). Null: not authenticated.
/// </summary>
public sealed class ApiAuthenticator(ApiKeyStore keys, IOptions<SecurityOptions> options)
{
    public const string KeyHeader = "x-api-key";

    public async Task<Caller?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (options.Value.TrustAppServicePrincipal && request.Headers[AppServicePrincipal.Header].FirstOrDefault() is { Length: > 0 } principal)
            return AppServicePrincipal.ToCaller(principal);
        var key = KeyOf(request);
        if (string.IsNullOrEmpty(key)) return null;
        if (options.Value.BootstrapAdminKey is { Length: > 0 } bootstrap && SameKey(key, bootstrap))
            return new Caller("bootstrap", Role.Admin, TenantScope.All);
        var record = await keys.VerifyAsync(key, cancellationToken);
        return record is null ? null : new Caller("key:" + record.Id, record.Role, record.Tenants);
    }

    /// <summary>The key a request carries in a header; null when none (an empty header counts as none).</summary>
    public static string? KeyOf(HttpRequest request)
    {
        if (request.Headers[KeyHeader].FirstOrDefault() is { Length: > 0 } key) return key.Trim();
        var authorization = request.Headers.Authorization.FirstOrDefault();
        return authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
    }

    /// <summary>Constant-time over hashes of equal length, so neither content nor length leaks through timing.</summary>
    private static bool SameKey(string sent, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
