using CostOps.Core.Access;

namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// One HTTP route of CostOps, declared once for both hosts. <see cref="Function"/> is the Functions app's function
/// name (an operational contract: alerts, dashboards and the deployment refer to it); <see cref="Template"/> is the
/// route under <c>/api</c>; <see cref="Anonymous"/> routes need no key; the others need a caller whose role grants
/// <see cref="Need"/> (admin unless the entry says less, so a route added without thought is closed, not open), and the
/// handler applies the caller's tenants.
/// </summary>
public sealed record ApiRoute(string Function, string Method, string Template, bool Anonymous, Func<ApiCall, CancellationToken, Task<ApiResult>> Handle,
    Permission Need = Permission.Admin)
{
    /// <summary>The names in <see cref="Template"/>'s braces, in order (<c>budgets/{id}/status</c> -> <c>id</c>).</summary>
    public IReadOnlyList<string> Parameters { get; } = Template.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')).ToList();
}
