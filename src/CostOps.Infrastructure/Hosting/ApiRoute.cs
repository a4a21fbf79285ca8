using CostOps.Infrastructure.ClickHouse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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

    /// <summary>
    /// What both hosts run for this route: the handler, with the failures that are no caller's fault answered the same
    /// way everywhere. A ClickHouse that does not answer is 503 with Retry-After, never a 500 or a hung request.
    /// </summary>
    public async Task<ApiResult> RunAsync(ApiCall call, CancellationToken cancellationToken)
    {
        try
        {
            return await Handle(call, cancellationToken);
        }
        catch (ClickHouseUnavailableException e)
        {
            call.Service<ILoggerFactory>().CreateLogger("CostOps.Api").LogWarning(e, "{Method} /api/{Route}: ClickHouse unavailable", Method, Template);
            return ApiProblem.ClickHouseUnavailable.Result("ClickHouse did not answer; retry after the delay given (a retry counts nothing twice).");
        }
    }
}
