using System.Security.Cryptography;
using CostOps.Infrastructure;
using CostOps.Infrastructure.Access;
using CostOps.Infrastructure.Local;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Http;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Pricing;
using CostOps.Infrastructure.Recommendations;
using CostOps.Infrastructure.Spend;
using CostOps.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops serve</c>: the Functions app's HTTP routes and schedules in one local process, on the embedded
/// defaults (embedded ClickHouse, Azurite). What a developer runs instead of <c>func start</c>. Every route but
/// <c>/api/health</c> needs a key in <c>x-api-key</c> or <c>Authorization: Bearer</c>: the bootstrap admin key
/// (<c>--api-key</c>, else generated into the state folder) or a scoped key (<c>costops keys create</c>). Ctrl+C stops it gracefully: in-flight batches finish, then the embedded engine closes.
/// </summary>
public sealed class ServeCommand : ICliCommand
{
    public string Name => "serve";
    public string Summary => "Run the HTTP API and schedules locally (what the Functions app runs), until Ctrl+C.";
    private static readonly CliOption<string> Urls = CliOption.Text("urls", "URL[;URL]", "where the API listens").Default("http://127.0.0.1:7071");
    private static readonly CliOption<string?> ApiKey = CliOption.Text("api-key", "KEY", "the bootstrap admin key (default: COSTOPS_API_KEY, else one generated into the state folder)");
    private static readonly CliOption<string?> ClickHouseHttp = CliOption.Text("clickhouse-http", "127.0.0.1:PORT", "also serve ClickHouse's HTTP interface to the embedded engine there (loopback only)");
    private static readonly CliOption<string?> Otlp = CliOption.Text("otlp", "URL",
        "export metrics, traces and logs over OTLP to URL (gRPC; HTTP/protobuf on port 4318 or with Telemetry__OtlpProtocol=http/protobuf)");
    private static readonly CliFlag ConsoleTelemetry = CliOption.Flag("console-telemetry", "also print metrics and spans on standard output");

    public CliSyntax Syntax { get; } = new(new CliForm("", [Urls, ApiKey, ClickHouseHttp, Otlp, ConsoleTelemetry]));
    public bool NeedsTables => true;

    // No NeedsSchema: the host migrates at start, as the Functions app does, once.

    /// <summary>The web host <c>serve</c> runs in, from its options: addresses, bootstrap key, ClickHouse's HTTP interface.</summary>
    public IHostApplicationBuilder CreateHostBuilder(CliArgs args)
    {
        var options = ServeOptions.Read(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        var keyFile = options.ApiKey is null ? GeneratedKeyFile(builder.Configuration) : null;
        ConfigureWebHost(builder, options.Urls, options.ApiKey ?? File.ReadAllText(keyFile!).Trim(), options.ClickHouseHttp);
        // Read when the services are registered (AddCostOps, next): where telemetry goes (docs/telemetry.md).
        if (options.Otlp is not null) builder.Configuration[$"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.OtlpEndpoint)}"] = options.Otlp;
        if (options.ConsoleTelemetry) builder.Configuration[$"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.Console)}"] = "true";
        return builder;
    }

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var options = ServeOptions.Read(args);
        if (options.ClickHouseHttp is not null && context.Services.GetRequiredService<IClickHouse>() is not CostOps.Infrastructure.ClickHouse.Embedded.EmbeddedClickHouse)
            throw new CliUsageException("--clickhouse-http serves the embedded engine; with ClickHouse:ConnectionString set, query that server itself.");
        var app = (WebApplication)context.Host;
        MapRoutes(app, options.ClickHouseHttp);
        await app.StartAsync(cancellationToken);
        // The addresses actually bound: with port 0 (--urls http://127.0.0.1:0) the system picks a free one.
        var bound = string.Join(", ", app.Urls);
        // The key itself is never printed (output lands in logs): it is the one given, or in a file only this user reads.
        var keyFile = options.ApiKey is null ? GeneratedKeyFile(app.Configuration) : null;
        context.Out.WriteLine($"CostOps is serving on {bound} ({StoreNames.Describe(app.Services)}). Bootstrap admin key: {(keyFile is null ? "the one given" : "in " + keyFile)}");
        context.Out.WriteLine($"  curl -H \"x-api-key: $KEY\" --data-binary @events.ndjson {app.Urls.First()}/api/usage");
        if (app.Services.GetRequiredService<LoggedIngestion>().Log is { } log)
            context.Out.WriteLine($"  Usage is answered 202 once in the durable log {log.Directory} (Ingestion:Acknowledge=Logged), committed to ClickHouse within moments.");
        if (options.ClickHouseHttp is { } http)
            context.Out.WriteLine($"  ClickHouse HTTP interface (embedded engine, loopback, no password): curl 'http://{http.Address}/?query=SELECT%201'");
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

    /// <summary>
    /// The host <c>serve</c> runs, in this process beside the caller's (<c>bench live</c>, which points it at a
    /// throwaway database and table prefix through <paramref name="settings"/>): every route, every schedule,
    /// migrations at start, on <paramref name="urls"/>, with <paramref name="apiKey"/> as the bootstrap admin key.
    /// </summary>
    /// <param name="clickHouseHttp">When given, also ClickHouse's HTTP interface to the embedded engine on that loopback address.</param>
    public static WebApplication BuildApp(string urls, string apiKey, IReadOnlyDictionary<string, string?>? settings = null,
        (string Address, int Port)? clickHouseHttp = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        ConfigureWebHost(builder, urls, apiKey, clickHouseHttp);
        var app = builder.AddCostOps(settings, CliClock.FromEnvironment()).Build();
        MapRoutes(app, clickHouseHttp);
        return app;
    }

    /// <summary>What makes a host <c>serve</c>: its addresses, the bootstrap key, every schedule, migrations at start.</summary>
    private static void ConfigureWebHost(WebApplicationBuilder builder, string urls, string apiKey, (string Address, int Port)? clickHouseHttp)
    {
        builder.WebHost.UseUrls(clickHouseHttp is { } ch ? $"{urls};http://{ch.Address}" : urls);
        if (clickHouseHttp is not null) builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestLineSize = ClickHouseHttpInterface.MaxRequestLineBytes);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration[$"{SecurityOptions.SectionName}:{nameof(SecurityOptions.BootstrapAdminKey)}"] = apiKey;
        // A caller could forge App Service Authentication's header here: only Azure's front end may be trusted with it.
        builder.Configuration[$"{SecurityOptions.SectionName}:{nameof(SecurityOptions.TrustAppServicePrincipal)}"] = "false";
        builder.Services.AddCostOpsStartup();
        builder.Services.AddCostOpsSchedules();
    }

    private static void MapRoutes(WebApplication app, (string Address, int Port)? clickHouseHttp)
    {
        app.MapCostOpsApi();
        if (clickHouseHttp is { } http) app.MapClickHouseHttp(http.Port);
    }

    /// <summary><c>serve</c>'s options, read and checked the same way when the host is made and when it runs.</summary>
    private sealed record ServeOptions(string Urls, string? ApiKey, (string Address, int Port)? ClickHouseHttp, string? Otlp, bool ConsoleTelemetry)
    {
        public static ServeOptions Read(CliArgs args)
        {
            var urls = args.Get(ServeCommand.Urls);
            var given = args.Get(ServeCommand.ApiKey) ?? Environment.GetEnvironmentVariable("COSTOPS_API_KEY");
            var clickHouseHttp = args.Get(ServeCommand.ClickHouseHttp);
            var clickHousePort = 0;
            if (clickHouseHttp is not null && !ClickHouseHttpInterface.TryParseLoopback(clickHouseHttp, out clickHousePort))
                throw new CliUsageException($"--clickhouse-http takes a loopback address and port (127.0.0.1:8123), not '{clickHouseHttp}': it has no password.");
            // An empty key would let an empty header in; refuse it rather than fall back to a generated one silently.
            if (given is not null && string.IsNullOrWhiteSpace(given))
                throw new CliUsageException("the API key (--api-key or COSTOPS_API_KEY) is empty; give one, or none to have one generated.");
            var otlp = args.Get(ServeCommand.Otlp);
            if (otlp is not null && !(Uri.TryCreate(otlp, UriKind.Absolute, out var otlpUri) && otlpUri.Scheme is "http" or "https"))
                throw new CliUsageException($"--otlp takes the receiver's base URL (http://127.0.0.1:4317), not '{otlp}'.");
            return new ServeOptions(urls, given, clickHouseHttp is null ? null : (clickHouseHttp, clickHousePort), otlp, args.Has(ServeCommand.ConsoleTelemetry));
        }
    }

    /// <summary>
    /// The bootstrap key kept in the state folder, readable by this user only (made on first use, then reused): the
    /// operator reads it there, logs never see it.
    /// </summary>
    private static string GeneratedKeyFile(IConfiguration configuration)
    {
        var local = configuration.GetSection(LocalOptions.SectionName).Get<LocalOptions>() ?? new LocalOptions();
        var path = Path.Combine(LocalPaths.StateDirectory(local.StateDirectory), "serve-api-key");
        if (File.Exists(path) && File.ReadAllText(path).Trim().Length > 0) return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new FileStream(path, options);
        using var writer = new StreamWriter(file);
        writer.Write(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        return path;
    }
}
