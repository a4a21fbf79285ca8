using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CostOps.Infrastructure.Telemetry;

/// <summary>
/// Registers <see cref="CostOpsTelemetry"/> and, when the configuration asks for an exporter (<see cref="TelemetryOptions"/>),
/// the OpenTelemetry SDK with it. Called by <c>AddCostOpsInfrastructure</c>, so every host (the Functions app, <c>serve</c>,
/// the CLI, the tests) measures the same way and differs only in where it sends the numbers.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The name OpenTelemetry's metrics listener has in <see cref="IMetricsBuilder"/> rules.</summary>
    private const string OpenTelemetryListener = "OpenTelemetry";

    public static IServiceCollection AddCostOpsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics(); // the host's IMeterFactory, which the meter comes from
        services.TryAddSingleton<CostOpsTelemetry>();

        var (options, appInsights, otlpFromEnvironment) = TelemetryOptions.Read(configuration);
        if (!TelemetryOptions.Exports(configuration)) return services;

        var telemetry = services.AddOpenTelemetry().UseCostOps(configuration["OTEL_SERVICE_NAME"]);
        if (appInsights is not null) telemetry.UseAzureMonitorExporter(o => o.ConnectionString = appInsights);
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            // Checked here, when the services are registered: a host with a bad address does not start rather than export nowhere.
            if (!Uri.TryCreate(options.OtlpEndpoint.Trim(), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
                throw new InvalidOperationException($"Telemetry:OtlpEndpoint is '{options.OtlpEndpoint}'; give the receiver's base URL, e.g. http://127.0.0.1:4317.");
            telemetry.UseOtlpExporter(OtlpProtocol(options.OtlpProtocol, endpoint), endpoint);
        }
        else if (otlpFromEnvironment is not null)
        {
            // The SDK reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL and _HEADERS itself.
            telemetry.UseOtlpExporter();
        }
        if (options.Console)
        {
            telemetry.WithMetrics(metrics => metrics.AddConsoleExporter()).WithTracing(tracing => tracing.AddConsoleExporter());
        }
        return services;
    }

    /// <summary>
    /// What every exporting host subscribes to: the <c>costops</c> service resource, the CostOps meter (through
    /// <see cref="IMetricsBuilder"/>, scoped to the host) and the CostOps activity source, and ASP.NET Core's request
    /// spans and <c>http.server.*</c> metrics (an ingestion request's span is then the parent of its commit's). Tests add
    /// an in-memory exporter after it.
    /// </summary>
    public static IOpenTelemetryBuilder UseCostOps(this IOpenTelemetryBuilder builder, string? serviceName = null)
    {
        // The CostOps meter of this host's own IMeterFactory only (MeterScope.Local): another host in the same process
        // (a test beside another, bench live beside its caller) has its own meter of the same name and its own exporter.
        builder.Services.AddMetrics(metrics => metrics.EnableMetrics(CostOpsTelemetry.Name, instrumentName: null, OpenTelemetryListener, MeterScope.Local));
        return builder
            .ConfigureResource(resource => resource.AddService(string.IsNullOrWhiteSpace(serviceName) ? "costops" : serviceName,
                serviceVersion: typeof(CostOpsTelemetry).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation())
            .WithTracing(tracing => tracing.AddSource(CostOpsTelemetry.Name).AddAspNetCoreInstrumentation());
    }

    /// <summary>The protocol asked for, else HTTP/protobuf on its well-known port 4318 and gRPC elsewhere (4317 is gRPC's).</summary>
    internal static OtlpExportProtocol OtlpProtocol(string? configured, Uri endpoint) => configured?.Trim().ToLowerInvariant() switch
    {
        "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" or "http" => OtlpExportProtocol.HttpProtobuf,
        null or "" => endpoint.Port == 4318 ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc,
        _ => throw new InvalidOperationException($"Telemetry:OtlpProtocol is '{configured}'; use grpc or http/protobuf."),
    };
}
