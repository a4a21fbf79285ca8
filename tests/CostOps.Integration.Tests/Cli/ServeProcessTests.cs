using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CostOps.Integration.Tests.Fixtures;
using CostOps.Integration.Tests.Spend;

namespace CostOps.Integration.Tests.Cli;

/// <summary>
/// <c>costops serve</c> as a user runs it (its own process, a port it bound itself, real HTTP): the spend, estimate and
/// health endpoints answer known inputs with hand-computed figures, the API key guards every route but health, and every
/// HTTP route the Functions app declares exists with the same method (serve and the Functions wrappers map the same
/// host-neutral API classes, so this is where the wrappers' routes are checked beyond their names).
/// </summary>
public sealed partial class ServeProcessTests
{
    [Fact]
    public async Task Serve_answers_spend_estimate_and_health_and_maps_every_Functions_route()
    {
        await using var serve = await ServeProcess.StartAsync();
        int exitCode;
        try
        {
            using var http = serve.Client();
            using var anonymous = serve.Client(withKey: false);

            // Health needs no key; the engine's version is for an admin's eyes only.
            var health = await anonymous.GetAsync("/api/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            var healthJson = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("ok", healthJson.GetProperty("status").GetString());
            Assert.False(healthJson.TryGetProperty("clickhouse", out _));
            var adminHealth = JsonDocument.Parse(await (await http.GetAsync("/api/health")).Content.ReadAsStringAsync()).RootElement;
            Assert.StartsWith("26.", adminHealth.GetProperty("clickhouse").GetString());

            // Spend: the known dataset in over HTTP, the hand-computed totals out.
            var ingest = await http.PostAsync("/api/usage", new StringContent(SpendKnownAnswer.Ndjson, Encoding.UTF8, "application/x-ndjson"));
            Assert.True(ingest.StatusCode == HttpStatusCode.OK, await ingest.Content.ReadAsStringAsync());
            var spend = await http.GetAsync($"/api/spend?from={SpendKnownAnswer.From}&to={SpendKnownAnswer.To}&group_by={SpendKnownAnswer.GroupBy}");
            Assert.Equal(HttpStatusCode.OK, spend.StatusCode);
            SpendKnownAnswer.AssertMatches(await spend.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/spend?group_by=colour")).StatusCode);

            // Estimate: "hello world" is 2 o200k tokens; gpt-4o at $2.50 / $10 per 1M: 2 × 2.5e-6 + 100 × 1e-5 = 0.001005.
            var estimate = await http.PostAsync("/api/estimate", new StringContent("""{"model": "gpt-4o", "prompt": "hello world", "expected_output_tokens": 100}"""));
            Assert.Equal(HttpStatusCode.OK, estimate.StatusCode);
            var estimateJson = JsonDocument.Parse(await estimate.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(2, estimateJson.GetProperty("input_tokens").GetInt64());
            Assert.Equal(0.001005m, decimal.Parse(estimateJson.GetProperty("cost_usd").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("openai/gpt-4o@2026-02-24", estimateJson.GetProperty("price_version").GetString());
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/api/estimate", new StringContent("""{"model": "gpt-4o"}"""))).StatusCode);

            // Every Functions HTTP route: mapped with its method (no routing 404 or 405), and guarded unless anonymous.
            foreach (var (name, route, method, anonymousAllowed) in FunctionRoutes())
            {
                var path = "/api/" + Placeholder().Replace(route, "x");
                using var keyed = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("") });
                var body = await keyed.Content.ReadAsStringAsync();
                Assert.False(keyed.StatusCode == HttpStatusCode.MethodNotAllowed || (keyed.StatusCode == HttpStatusCode.NotFound && body.Length == 0),
                    $"{name}: {method} {path} is not mapped by serve ({(int)keyed.StatusCode})");
                using var unkeyed = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("") });
                Assert.True((unkeyed.StatusCode == HttpStatusCode.Unauthorized) != anonymousAllowed, $"{name}: {(int)unkeyed.StatusCode} without a key");
            }
        }
        finally
        {
            exitCode = await serve.StopAsync();
        }
        Assert.Equal(0, exitCode);
    }

    private static IEnumerable<(string Name, string Route, string Method, bool Anonymous)> FunctionRoutes()
    {
        var output = typeof(ServeProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutput").Value!;
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")));
        var routes = new List<(string, string, string, bool)>();
        foreach (var function in metadata.RootElement.EnumerateArray())
        {
            foreach (var binding in function.GetProperty("bindings").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "httpTrigger"))
            {
                foreach (var method in binding.GetProperty("methods").EnumerateArray())
                {
                    routes.Add((function.GetProperty("name").GetString()!, binding.GetProperty("route").GetString()!, method.GetString()!.ToUpperInvariant(),
                        binding.GetProperty("authLevel").GetString() == "Anonymous"));
                }
            }
        }
        // One HTTP trigger per route of the one route table (a hard-coded count went stale with every new route).
        Assert.Equal(CostOps.Infrastructure.Hosting.ApiRoutes.All.Count, routes.Count);
        return routes;
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Placeholder();
}
