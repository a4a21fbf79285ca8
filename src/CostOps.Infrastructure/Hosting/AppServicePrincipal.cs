using System.Text.Json;
using CostOps.Core.Access;

namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// App Service Authentication (Entra ID) in front of the Functions app passes the signed-in principal in
/// <c>X-MS-CLIENT-PRINCIPAL</c> (base64 JSON of its claims). App roles map to ours (docs/security.md):
/// <c>CostOps.Admin</c>, <c>CostOps.Writer</c>, <c>CostOps.Reader</c>, <c>CostOps.Ingest</c> (the strongest wins) and
/// tenants <c>CostOps.Tenant.NAME</c> or <c>CostOps.AllTenants</c>. Without a role or a tenant the principal is not a caller.
/// </summary>
public static class AppServicePrincipal
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";
    private const string RolePrefix = "CostOps.";
    private const string TenantPrefix = "CostOps.Tenant.";
    private const string AllTenants = "CostOps.AllTenants";

    public static Caller? ToCaller(string header)
    {
        List<(string Type, string Value)> claims;
        string roleType;
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(header));
            roleType = doc.RootElement.TryGetProperty("role_typ", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString()! : "roles";
            claims = doc.RootElement.GetProperty("claims").EnumerateArray()
                .Select(c => (c.GetProperty("typ").GetString() ?? "", c.GetProperty("val").GetString() ?? "")).ToList();
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
        var roles = claims.Where(c => c.Type == roleType || c.Type == "roles").Select(c => c.Value).ToList();
        var id = claims.FirstOrDefault(c => c.Type is "oid" or "http://schemas.microsoft.com/identity/claims/objectidentifier").Value;
        Role[] strongestFirst = [Role.Admin, Role.Writer, Role.Reader, Role.Ingest];
        Role? role = strongestFirst.Cast<Role?>().FirstOrDefault(r => roles.Contains(RolePrefix + r.ToString()));
        var tenants = roles.Contains(AllTenants)
            ? [TenantScope.AllMarker]
            : roles.Where(r => r.StartsWith(TenantPrefix, StringComparison.Ordinal) && r.Length > TenantPrefix.Length).Select(r => r[TenantPrefix.Length..]).ToList();
        if (role is null || tenants.Count == 0 || string.IsNullOrEmpty(id)) return null;
        return new Caller("entra:" + id, role.Value, TenantScope.Of(tenants));
    }
}
