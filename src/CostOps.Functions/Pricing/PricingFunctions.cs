using CostOps.Functions.Http;
using CostOps.Infrastructure.Pricing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CostOps.Functions.Pricing;

/// <summary>Prices in force, pre-call estimates, and the scheduled price refresh (the daily community-map sync when configured, then a reload of the in-process prices).</summary>
public sealed class PricingFunctions(PricingApi api, ScheduledPriceRefresh refresh)
{
    [Function("PricesList")]
    public IActionResult List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "prices")] HttpRequest request) =>
        api.List(request.Query["provider"]).ToActionResult(request.HttpContext.Response);

    [Function("Estimate")]
    public async Task<IActionResult> Estimate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "estimate")] HttpRequest request, CancellationToken cancellationToken) =>
        api.Estimate(await new StreamReader(request.Body).ReadToEndAsync(cancellationToken)).ToActionResult(request.HttpContext.Response);

    [Function("PriceRefresh")]
    public async Task Refresh([TimerTrigger("%PriceRefreshSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        await refresh.RunAsync(cancellationToken);
}
