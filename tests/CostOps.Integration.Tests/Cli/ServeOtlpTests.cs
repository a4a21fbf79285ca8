using System.Net;
using System.Text;
using CostOps.Integration.Tests.Budgets;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Cli;

/// <summary>
/// <c>costops serve --otlp URL</c> in its own process exports to an OTLP receiver: a loopback HTTP receiver stands in
/// for a collector (OTLP over HTTP/protobuf, whose names travel as plain UTF-8 inside the protobuf body).
/// </summary>
public sealed class ServeOtlpTests
{
    [Fact]
    public async Task Serve_with_otlp_exports_the_ingestion_metrics_and_the_commit_span_to_the_receiver()
    {
        await using var collector = new WebhookReceiver();
        var cli = new CliProcess
        {
            Settings = new Dictionary<string, string>
            {
                ["Telemetry__OtlpProtocol"] = "http/protobuf",
                // The SDK's own variables: export every half second instead of every minute (metrics) and five seconds (spans).
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            },
        };
        await using var serve = await ServeProcess.StartAsync(cli, "--otlp", $"http://127.0.0.1:{collector.Port}");

        var usage = """{"event_id":"otlp-1","timestamp":"2026-11-30T10:00:00Z","tenant":"otlp","provider":"openai","model":"gpt-4o","input_tokens":10,"output_tokens":1}""";
        var ingest = await serve.PostAsync("/api/usage", Encoding.UTF8.GetBytes(usage), "application/x-ndjson");
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);

        // Both signals arrive at their OTLP paths (the base URL given, the signal paths added).
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        bool Got(string path, string name) => collector.Requests.Any(r => r.Path == path && r.Body.Contains(name, StringComparison.Ordinal));
        // The request's span ends after its answer, so it may come in a later export than the commit's: wait for it too.
        while (!(Got("/v1/metrics", "costops.ingestion.events") && Got("/v1/traces", "costops.ingestion.commit") && Got("/v1/traces", "/api/usage"))
               && DateTime.UtcNow < deadline)
            await Task.Delay(200);

        Assert.True(Got("/v1/metrics", "costops.ingestion.events"), string.Join(", ", collector.Requests.Select(r => r.Path).Distinct()));
        Assert.True(Got("/v1/metrics", "costops.ingestion.commit.duration"));
        Assert.True(Got("/v1/traces", "costops.ingestion.commit"), string.Join(", ", collector.Requests.Select(r => r.Path).Distinct()));
        // The request's own span (ASP.NET Core's) is exported too: the commit's parent.
        Assert.True(Got("/v1/traces", "/api/usage"));
        Assert.All(collector.Requests, r => Assert.Equal("application/x-protobuf", r.Headers["Content-Type"]));
    }
}
