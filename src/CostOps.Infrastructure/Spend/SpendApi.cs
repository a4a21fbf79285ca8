using CostOps.Core.Access;
using CostOps.Core.Time;
using CostOps.Infrastructure.Hosting;

namespace CostOps.Infrastructure.Spend;

/// <summary>
/// <c>GET /api/spend?from=&amp;to=&amp;group_by=&amp;tenant=</c>, host-neutral (Functions and <c>costops serve</c>). A scoped
/// caller sees only its tenants: without <c>tenant</c> the totals cover those; naming another tenant is 403.
/// </summary>
public sealed class SpendApi(SpendQuery query, TimeProvider time)
{
    /// <param name="scope">The caller's tenants (all when null).</param>
    public async Task<ApiResult> GetAsync(string? from, string? to, string? groupBy, string? tenant, CancellationToken cancellationToken, TenantScope? scope = null)
    {
        if (!string.IsNullOrEmpty(tenant) && scope is not null && !scope.Allows(tenant)) return TenantAccess.Forbidden(tenant);
        var errors = new List<string>();
        var end = Parse(to, "to", errors) ?? time.GetUtcNow();
        var start = Parse(from, "from", errors) ?? end.AddDays(-30);
        var groups = (groupBy ?? "tenant").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (errors.Count > 0) return ApiProblem.BadRequest.Result(string.Join(" ", errors));
        try
        {
            var rows = await query.RunAsync(start, end, groups, tenant, cancellationToken, scope);
            return new ApiResult(200, SpendQuery.ToJson(rows, groups).ToJsonString());
        }
        catch (ArgumentException e)
        {
            return ApiProblem.BadRequest.Result(e.Message);
        }
    }

    private static DateTimeOffset? Parse(string? text, string name, List<string> errors)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (Instants.TryParse(text, out var at)) return at;
        errors.Add($"'{name}' must be {Instants.Expected}.");
        return null;
    }
}
