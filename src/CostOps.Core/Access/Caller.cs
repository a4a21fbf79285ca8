namespace CostOps.Core.Access;

/// <summary>
/// Who is calling, once authenticated: <see cref="Id"/> is what the audit trail records (<c>key:ID</c>,
/// <c>bootstrap</c>, <c>entra:OBJECT-ID</c>, <c>cli:USER</c>), with the role and tenants that bound what it may do.
/// </summary>
public sealed record Caller(string Id, Role Role, TenantScope Tenants)
{
    public bool Can(Permission permission) =>
        Role.Grants(permission) && (permission != Permission.Admin || Tenants.IsAll);
}
