namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// One HTTP route of CostOps, declared once for both hosts. <see cref="Function"/> is the Functions app's function
/// name (an operational contract: alerts, dashboards and the deployment refer to it); <see cref="Template"/> is the
/// route under <c>/api</c>; <see cref="Anonymous"/> routes need no key.
/// </summary>
public sealed record ApiRoute(string Function, string Method, string Template, bool Anonymous, Func<ApiCall, CancellationToken, Task<ApiResult>> Handle)
{
    /// <summary>The names in <see cref="Template"/>'s braces, in order (<c>budgets/{id}/status</c> -> <c>id</c>).</summary>
    public IReadOnlyList<string> Parameters { get; } = Template.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')).ToList();
}
