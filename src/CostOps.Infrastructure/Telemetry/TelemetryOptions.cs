using Microsoft.Extensions.Configuration;

namespace CostOps.Infrastructure.Telemetry;

/// <summary>
/// Where CostOps' metrics, traces and logs go (docs/telemetry.md). Nothing is exported unless one of these is set:
/// Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (the Functions app: the Bicep sets it), OTLP
/// when <see cref="OtlpEndpoint"/> (<c>costops serve --otlp URL</c>) or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, the
/// console when <see cref="Console"/> is true. Read once, when the services are registered.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The setting App Service and Functions use for Application Insights (an environment variable there).</summary>
    public const string AppInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The OpenTelemetry SDK's own endpoint variable: with it (and no <see cref="OtlpEndpoint"/>) the SDK reads its <c>OTEL_EXPORTER_OTLP_*</c> variables.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Base address of an OTLP receiver (a collector, Jaeger, Aspire's dashboard...): <c>http://127.0.0.1:4317</c> for
    /// gRPC, <c>http://127.0.0.1:4318</c> for HTTP/protobuf (the signal paths are added). Empty: no OTLP unless
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// <c>grpc</c> or <c>http/protobuf</c> for <see cref="OtlpEndpoint"/>; empty: HTTP/protobuf on port 4318 (its
    /// well-known port), gRPC elsewhere.
    /// </summary>
    public string? OtlpProtocol { get; set; }

    /// <summary>Also prints metrics and spans on standard output (a local look; metrics every 60 s unless <c>OTEL_METRIC_EXPORT_INTERVAL</c> says otherwise).</summary>
    public bool Console { get; set; }

    /// <summary>The options, with the two settings that live outside the section, as the host's configuration gives them.</summary>
    public static (TelemetryOptions Options, string? AppInsights, string? OtlpFromEnvironment) Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        return (options, NullIfBlank(configuration[AppInsightsSetting]), NullIfBlank(configuration[OtlpEndpointVariable]));
    }

    /// <summary>Whether <paramref name="configuration"/> asks for any exporter (else no telemetry pipeline is built at all).</summary>
    public static bool Exports(IConfiguration configuration)
    {
        var (options, appInsights, otlp) = Read(configuration);
        return appInsights is not null || otlp is not null || NullIfBlank(options.OtlpEndpoint) is not null || options.Console;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
