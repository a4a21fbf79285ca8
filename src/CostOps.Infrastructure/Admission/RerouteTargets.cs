using System.Collections.Concurrent;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Recommendations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Admission;

/// <summary>
/// The cheaper model a reroute budget answers with: the budget's own <see cref="Budget.RerouteModel"/>, else the
/// project's routing recommendation for the requested model (<c>GET /api/routing/{tenant}/{project}</c>), kept in memory
/// for <see cref="AdmissionOptions.BudgetRefreshInterval"/>.
/// </summary>
public sealed class RerouteTargets(RecommendationService recommendations, TimeProvider time, IOptions<AdmissionOptions> options, ILogger<RerouteTargets> logger)
{
    private readonly ConcurrentDictionary<(string Tenant, string Project), (DateTimeOffset ReadAt, RoutingPolicy? Policy)> _policies = new();

    public async ValueTask<string?> TargetAsync(Budget budget, AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (budget.RerouteModel is not null) return budget.RerouteModel;
        if (request.Project is null) return null;
        var key = (request.Tenant, request.Project);
        var now = time.GetUtcNow();
        if (!_policies.TryGetValue(key, out var hit) || now - hit.ReadAt >= options.Value.BudgetRefreshInterval)
        {
            try
            {
                hit = (now, await recommendations.RoutingPolicyAsync(request.Tenant, request.Project, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Routing recommendations for {Tenant}/{Project} could not be read; no reroute target.", request.Tenant, request.Project);
                hit = (now, null);
            }
            _policies[key] = hit;
        }
        return hit.Policy?.Routes
            .Where(r => r.FromModel == request.Model && (r.Feature.Length == 0 || r.Feature == request.Feature))
            .Select(r => r.ToModel)
            .FirstOrDefault();
    }
}
