using System.Security.Cryptography;
using CostOps.Infrastructure;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Pricing;
using CostOps.Infrastructure.Recommendations;
using CostOps.Infrastructure.Spend;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops serve</c>: the Functions app's HTTP routes and schedules in one local process, on the embedded
/// defaults (embedded ClickHouse, Azurite). What a developer runs instead of <c>func start</c>. Every route but
/// <c>/api/health</c> needs the API key (header <c>x-functions-key</c>, as the Functions app's function key, or
/// <c>x-api-key</c>). Ctrl+C stops it gracefully: in-flight batches finish, then the embedded engine closes.
/// </summary>
public sealed class ServeCommand : ICliCommand
{
    public string Name => "serve";
    public string Summary => "Run the HTTP API and schedules locally (what the Functions app runs), until Ctrl+C.";
    public string Usage => "costops serve [--urls http://127.0.0.1:7071] [--api-key KEY]";
    public bool NeedsTables => true;
    public bool NeedsSchema => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var urls = args.Option("urls") ?? "http://127.0.0.1:7071";
        var apiKey = args.Option("api-key") ?? Environment.GetEnvironmentVariable("COSTOPS_API_KEY") ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        args.RejectUnknown();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCostOpsInfrastructure(builder.Configuration).AddCostOpsStartup();
        builder.Services.AddScheduledJob("BudgetSchedule", "0 */5 * * * *",
            (sp, ct) => sp.GetRequiredService<BudgetEvaluator>().EvaluateAsync(ct));
        builder.Services.AddScheduledJob("AlertDeliverySchedule", "*/30 * * * * *",
            (sp, ct) => sp.GetRequiredService<AlertDeliveryWorker>().RunOnceAsync(ct));
        builder.Services.AddScheduledJob("RecommendationsSchedule", "0 0 6 * * *",
            (sp, ct) => sp.GetRequiredService<ScheduledRecommendationRun>().RunAsync(ct));
        builder.Services.AddScheduledJob("RollupRepairSchedule", "0 */10 * * * *",
            (sp, ct) => sp.GetRequiredService<RollupRepair>().RepairRecentAsync(
                TimeSpan.FromHours(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<IngestionOptions>>().Value.RepairLookbackHours), ct));
        builder.Services.AddScheduledJob("PriceRefreshSchedule", "0 */10 * * * *",
            (sp, ct) => sp.GetRequiredService<TablePriceCatalogSource>().RefreshAsync(ct));
        var app = builder.Build();

        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/api/health") || KeyOf(http.Request) == apiKey)
            {
                await next(http);
                return;
            }
            http.Response.StatusCode = 401;
            http.Response.ContentType = "application/problem+json";
            await http.Response.WriteAsync(UsageApi.Problem(401, "Unauthorized", "Send the API key in the x-functions-key (or x-api-key) header."));
        });
        MapRoutes(app);

        await app.StartAsync(cancellationToken);
        context.Out.WriteLine($"CostOps is serving on {urls} (embedded ClickHouse, Azurite). API key: {apiKey}");
        context.Out.WriteLine($"  curl -H 'x-functions-key: {apiKey}' --data-binary @events.ndjson {urls}/api/usage");
        context.Out.WriteLine("Ctrl+C stops.");
        // Ctrl+C reaches the command's token; SIGTERM (a service manager, `timeout`) stops the host itself.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
        context.Out.WriteLine("Stopped: in-flight work finished, embedded ClickHouse closed.");
        return 0;
    }

    private static string? KeyOf(HttpRequest request) =>
        request.Headers["x-functions-key"].FirstOrDefault() ?? request.Headers["x-api-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();

    /// <summary>The same routes as the Functions app, over the same host-neutral API classes.</summary>
    private static void MapRoutes(WebApplication app)
    {
        app.MapGet("/api/health", async (CostOps.Infrastructure.Hosting.HealthApi health, CancellationToken ct) => Results.Ok(await health.CheckAsync(ct)));

        app.MapPost("/api/usage", async (HttpRequest request, UsageApi api, CancellationToken ct) =>
        {
            var (body, tooLarge) = await api.ReadBodyAsync(request.Body, request.ContentLength, ct);
            return ToResult(tooLarge ?? await api.IngestAsync(body!, "http", ct));
        });

        app.MapGet("/api/spend", async (string? from, string? to, string? group_by, string? tenant, SpendApi api, CancellationToken ct) =>
            ToResult(await api.GetAsync(from, to, group_by, tenant, ct)));
        app.MapGet("/api/prices", (string? provider, PricingApi api) => ToResult(api.List(provider)));
        app.MapPost("/api/estimate", async (HttpRequest request, PricingApi api, CancellationToken ct) =>
            ToResult(api.Estimate(await new StreamReader(request.Body).ReadToEndAsync(ct))));

        app.MapGet("/api/budgets", async (BudgetApi api, CancellationToken ct) => ToResult(await api.ListAsync(ct)));
        app.MapPost("/api/budgets", async (HttpRequest request, BudgetApi api, CancellationToken ct) =>
            ToResult(await api.CreateAsync(await new StreamReader(request.Body).ReadToEndAsync(ct), ct)));
        app.MapGet("/api/budgets/{id}", async (string id, BudgetApi api, CancellationToken ct) => ToResult(await api.GetAsync(id, ct)));
        app.MapPut("/api/budgets/{id}", async (string id, HttpRequest request, BudgetApi api, CancellationToken ct) =>
            ToResult(await api.UpdateAsync(id, await new StreamReader(request.Body).ReadToEndAsync(ct), request.Headers.IfMatch.FirstOrDefault(), ct)));
        app.MapDelete("/api/budgets/{id}", async (string id, HttpRequest request, BudgetApi api, CancellationToken ct) =>
            ToResult(await api.DeleteAsync(id, request.Headers.IfMatch.FirstOrDefault(), ct)));
        app.MapGet("/api/budgets/{id}/status", async (string id, BudgetApi api, CancellationToken ct) => ToResult(await api.StatusAsync(id, ct)));
        app.MapGet("/api/recommendations", async (string? tenant, string? project, RecommendationApi api, CancellationToken ct) =>
            ToResult(await api.ListAsync(tenant, project, ct)));
        app.MapPost("/api/recommendations/{tenant}/{id}/{decision}", async (string tenant, string id, string decision, HttpRequest request, RecommendationApi api, CancellationToken ct) =>
            ToResult(await api.DecideAsync(tenant, id, decision, await new StreamReader(request.Body).ReadToEndAsync(ct), request.Headers.IfMatch.FirstOrDefault(), ct)));
        app.MapGet("/api/routing/{tenant}/{project}", async (string tenant, string project, RecommendationApi api, CancellationToken ct) =>
            ToResult(await api.RoutingAsync(tenant, project, ct)));
        app.MapGet("/api/alerts", async (string? budget, string? status, BudgetApi api, CancellationToken ct) =>
            ToResult(await api.AlertsAsync(budget, status, ct)));
    }

    private static IResult ToResult(ApiResult result) => new ApiHttpResult(result);

    private sealed class ApiHttpResult(ApiResult result) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = result.Status;
            if (result.ETag is not null) http.Response.Headers.ETag = result.ETag;
            if (result.RetryAfterSeconds is { } retry) http.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (result.Json is null) return;
            http.Response.ContentType = result.Status >= 400 ? "application/problem+json" : "application/json";
            await http.Response.WriteAsync(result.Json);
        }
    }
}
