using System.Text.Json;
using CostOps.Core.Access;
using CostOps.Core.Time;
using CostOps.Infrastructure.Access;
using CostOps.Infrastructure.Admission;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Pricing;
using CostOps.Infrastructure.Recommendations;
using CostOps.Infrastructure.Spend;

namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// Every HTTP route of CostOps, declared once. <c>costops serve</c> maps this table; the Functions app keeps one
/// trigger per route (the Functions host needs its attributes) whose body is a call into this table, and a test reads
/// those attributes by reflection and compares them with it, so the two hosts cannot drift. Each entry says what its
/// caller needs (<see cref="ApiRoute.Need"/>) and passes the caller's tenants to its API (docs/security.md);
/// <see cref="ApiRouteRunner"/> checks the key and role before any handler runs.
/// </summary>
public static class ApiRoutes
{
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        // Anonymous: each check's status only; an admin key (if sent) also gets the details.
        new("Health", "GET", "health", Anonymous: true, async (call, ct) =>
            await call.Service<HealthApi>().CheckAsync(details: await call.IsAdminAsync(ct), ct)),

        new("IngestUsage", "POST", "usage", Anonymous: false, async (call, ct) =>
        {
            var api = call.Service<UsageApi>();
            var (body, tooLarge) = await api.ReadBodyAsync(call.Request.Body, call.Request.ContentLength, ct);
            return tooLarge ?? await api.IngestAsync(body!, "http", ct, call.Tenants);
        }, Permission.Ingest),

        new("Spend", "GET", "spend", Anonymous: false, (call, ct) =>
            call.Service<SpendApi>().GetAsync(call.Query("from"), call.Query("to"), call.Query("group_by"), call.Query("tenant"), ct, call.Tenants), Permission.Read),

        // Prices are public list prices and overrides, the same for every tenant.
        new("PricesList", "GET", "prices", Anonymous: false, (call, _) =>
            Task.FromResult(call.Service<PricingApi>().List(call.Query("provider"))), Permission.Read),
        new("Estimate", "POST", "estimate", Anonymous: false, async (call, ct) =>
            call.Service<PricingApi>().Estimate(await call.BodyTextAsync(ct)), Permission.Read),

        new("BudgetsList", "GET", "budgets", Anonymous: false, (call, ct) => call.Service<BudgetApi>().ListAsync(call.Tenants, ct), Permission.Read),
        new("BudgetsCreate", "POST", "budgets", Anonymous: false, async (call, ct) =>
            await call.Service<BudgetApi>().CreateAsync(await call.BodyTextAsync(ct), call.Tenants, ct), Permission.Write),
        new("BudgetsGet", "GET", "budgets/{id}", Anonymous: false, (call, ct) =>
            call.Service<BudgetApi>().GetAsync(call.Route("id"), call.Tenants, ct), Permission.Read),
        new("BudgetsUpdate", "PUT", "budgets/{id}", Anonymous: false, async (call, ct) =>
            await call.Service<BudgetApi>().UpdateAsync(call.Route("id"), await call.BodyTextAsync(ct), call.IfMatch, call.Tenants, ct), Permission.Write),
        new("BudgetsDelete", "DELETE", "budgets/{id}", Anonymous: false, (call, ct) =>
            call.Service<BudgetApi>().DeleteAsync(call.Route("id"), call.IfMatch, call.Tenants, ct), Permission.Write),
        // The new webhook signing secret is in this answer only.
        new("BudgetsRotateSecret", "POST", "budgets/{id}/rotate-secret", Anonymous: false, (call, ct) =>
            call.Service<BudgetApi>().RotateSecretAsync(call.Route("id"), call.Tenants, ct), Permission.Write),
        // For gateways, per request: answered from a short in-memory cache (Budgets:StatusCacheDuration).
        new("BudgetStatus", "GET", "budgets/{id}/status", Anonymous: false, (call, ct) =>
            call.Service<BudgetApi>().StatusAsync(call.Route("id"), call.Tenants, ct), Permission.Read),
        // For gateways, per call before it is made: reserve its worst case on the enforcing budgets (docs/budgets.md, Admission).
        new("Admission", "POST", "admission", Anonymous: false, async (call, ct) =>
            await call.Service<AdmissionApi>().AdmitAsync(await call.BodyTextAsync(ct), call.Tenants, ct), Permission.Ingest),
        new("AlertsList", "GET", "alerts", Anonymous: false, (call, ct) =>
            call.Service<BudgetApi>().AlertsAsync(call.Query("budget"), call.Query("status"), call.Tenants, ct), Permission.Read),

        new("RecommendationsList", "GET", "recommendations", Anonymous: false, (call, ct) =>
            call.Service<RecommendationApi>().ListAsync(call.Query("tenant"), call.Query("project"), call.Tenants, ct), Permission.Read),
        new("RecommendationsDecide", "POST", "recommendations/{tenant}/{id}/{decision}", Anonymous: false, async (call, ct) =>
            await call.Service<RecommendationApi>().DecideAsync(call.Route("tenant"), call.Route("id"), call.Route("decision"), await call.BodyTextAsync(ct),
                call.IfMatch, call.Tenants, ct), Permission.Write),
        // Admins for every tenant only: who changed prices, overrides, aliases, budgets and keys (?since=ISO instant).
        new("AuditList", "GET", "audit", Anonymous: false, async (call, ct) =>
        {
            DateTimeOffset? since = null;
            if (call.Query("since") is { Length: > 0 } text)
            {
                if (!Instants.TryParse(text, out var at))
                    return ApiProblem.BadRequest.Result($"'since' must be {Instants.Expected}.");
                since = at;
            }
            return new ApiResult(200, AuditLog.ToJson(await call.Service<AuditLog>().ListAsync(since, cancellationToken: ct)));
        }, Permission.Admin),
        // For gateways: the model mapping recommended (and accepted) for a project.
        new("RoutingPolicy", "GET", "routing/{tenant}/{project}", Anonymous: false, (call, ct) =>
            call.Service<RecommendationApi>().RoutingAsync(call.Route("tenant"), call.Route("project"), call.Tenants, ct), Permission.Read),
    ];

    /// <summary>The route a Functions trigger stands for, by its function name.</summary>
    public static ApiRoute Named(string function) =>
        All.SingleOrDefault(r => r.Function == function) ?? throw new ArgumentException($"No route is named '{function}'.", nameof(function));
}
