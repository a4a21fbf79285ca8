using CostOps.Functions.Http;
using CostOps.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Pricing;

/// <summary>Prices in force, pre-call estimates (<see cref="ApiRoutes"/>), and the scheduled refresh of the in-process price cache (<see cref="Schedules"/>).</summary>
public sealed class PricingFunctions(IServiceProvider services)
{
    [Function("PricesList")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "prices")] HttpRequest request, CancellationToken cancellationToken) =>
        services.RunRouteAsync("PricesList", request, cancellationToken);

    [Function("Estimate")]
    public Task<IActionResult> Estimate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "estimate")] HttpRequest request, CancellationToken cancellationToken) =>
        services.RunRouteAsync("Estimate", request, cancellationToken);

    [Function("PriceRefresh")]
    public Task Refresh([TimerTrigger("%PriceRefreshSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Schedules.Named("PriceRefresh").Run(services, cancellationToken);
}
