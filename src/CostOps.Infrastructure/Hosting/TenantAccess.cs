namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// The one answer for a tenant the caller may not reach, where the caller names the tenant (a query, a path, a
/// budget's scope): 403, the same whether the tenant exists or not. Resources found by id (a budget) answer 404 instead,
/// exactly as for an id that does not exist, so ids of other tenants cannot be probed.
/// </summary>
public static class TenantAccess
{
    public static ApiResult Forbidden(string tenant) =>
        ApiProblem.Forbidden.Result($"This key has no access to tenant '{tenant}'.");
}
