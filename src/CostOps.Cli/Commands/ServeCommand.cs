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
        // The CLI's clock (COSTOPS_NOW), as every other command runs on: budget periods and admission resets follow it.
        if (CliClock.FromEnvironment() is { } clock) builder.Services.AddSingleton(clock);
        builder.Services.AddCostOpsSchedules();
        var app = builder.Build();

        var anonymous = ApiRoutes.All.Where(r => r.Anonymous).Select(r => "/api/" + r.Template).ToList();
        app.Use(async (http, next) =>
        {
            if (anonymous.Any(path => http.Request.Path.StartsWithSegments(path)) || KeyMatches(KeyOf(http.Request), apiKey))
            {
                await next(http);
                return;
            }
            await ApiProblem.Unauthorized.Result("Send the API key in the x-functions-key (or x-api-key) header.").WriteAsync(http.Response, http.RequestAborted);
        });
        app.MapCostOpsApi();

        await app.StartAsync(cancellationToken);
        // The addresses actually bound: with port 0 (--urls http://127.0.0.1:0) the system picks a free one.
        var bound = string.Join(", ", app.Urls);
        context.Out.WriteLine($"CostOps is serving on {bound} (embedded ClickHouse, Azurite). API key: {apiKey}");
        context.Out.WriteLine($"  curl -H 'x-functions-key: {apiKey}' --data-binary @events.ndjson {app.Urls.First()}/api/usage");
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

    /// <summary>Constant-time, so the answer's timing says nothing about how much of a guessed key was right.</summary>
    private static bool KeyMatches(string? sent, string key) =>
        sent is not null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(sent), System.Text.Encoding.UTF8.GetBytes(key));
}
