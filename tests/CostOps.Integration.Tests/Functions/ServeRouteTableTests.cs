using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CostOps.Infrastructure.Hosting;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Functions;

/// <summary>
/// Every route of the one route table, over real loopback HTTP to the real <c>costops serve</c>: the Functions app's
/// triggers run the same table entries (<see cref="HostSurfaceTests"/> pins that), so this tour covers both hosts.
/// A route added to the table without a step here fails the last assertion.
/// </summary>
public sealed class ServeRouteTableTests
{
    private const string Events = """
        {"event_id":"serve-1","timestamp":"2026-06-01T10:00:00Z","tenant":"acme","project":"chat","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}
        {"event_id":"serve-2","timestamp":"2026-06-01T11:00:00Z","tenant":"acme","project":"chat","provider":"openai","model":"gpt-4o","input_tokens":2000,"output_tokens":400}
        """;

    [Fact]
    public async Task Serve_answers_every_route_of_the_table_with_the_key_and_only_health_without_it()
    {
        await using var serve = await ServeProcess.StartAsync();
        using var anonymous = serve.Client(withKey: false);
        using var client = serve.Client();
        var visited = new HashSet<string>();

        async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Call(string function, HttpMethod method, string path, string? body = null, string? ifMatch = null)
        {
            visited.Add(function);
            var route = ApiRoutes.Named(function);
            Assert.Equal(route.Method, method.Method);
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            var response = await client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
        }

        // Without the key: health answers, every other route is 401 with a problem body.
        var health = await anonymous.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", (string?)JsonNode.Parse(await health.Content.ReadAsStringAsync())!["status"]);
        visited.Add("Health");
        foreach (var route in ApiRoutes.All.Where(r => !r.Anonymous))
        {
            var path = "/api/" + string.Join('/', route.Template.Split('/').Select(s => s.StartsWith('{') ? "x" : s));
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), path) { Content = new StringContent("{}") };
            var refused = await anonymous.SendAsync(request);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{route.Function} {route.Method} {path}: {refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        var ingest = await Call("IngestUsage", HttpMethod.Post, "/api/usage", Events);
        Assert.Equal(HttpStatusCode.OK, ingest.Status);

        // Known answer: gpt-4o at $2.50 / $10.00 per million: 3,000 input and 500 output tokens cost $0.0125.
        var spend = await Call("Spend", HttpMethod.Get, "/api/spend?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z&group_by=tenant");
        Assert.Equal(HttpStatusCode.OK, spend.Status);
        var row = Assert.Single(JsonNode.Parse(spend.Body)!.AsArray());
        Assert.Equal(0.0125m, decimal.Parse(row!["cost_usd"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, (int)row["requests"]!);

        Assert.Equal(HttpStatusCode.OK, (await Call("PricesList", HttpMethod.Get, "/api/prices?provider=openai")).Status);
        // "hello world" is 2 o200k tokens: 2 x $2.50 + 100 x $10.00 per million = $0.001005.
        var estimate = await Call("Estimate", HttpMethod.Post, "/api/estimate", """{"model":"gpt-4o","prompt":"hello world","expected_output_tokens":100}""");
        Assert.Equal(HttpStatusCode.OK, estimate.Status);
        Assert.Equal(2, (int)JsonNode.Parse(estimate.Body)!["input_tokens"]!);
        Assert.Equal(0.001005m, decimal.Parse((string)JsonNode.Parse(estimate.Body)!["cost_usd"]!, System.Globalization.CultureInfo.InvariantCulture));

        var created = await Call("BudgetsCreate", HttpMethod.Post, "/api/budgets",
            """{"id":"serve-tour","scope":{"tenant":"acme"},"period":"month","limitUsd":10}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.OK, (await Call("BudgetsList", HttpMethod.Get, "/api/budgets")).Status);
        var got = await Call("BudgetsGet", HttpMethod.Get, "/api/budgets/serve-tour");
        Assert.Equal(HttpStatusCode.OK, got.Status);
        var etag = got.Response.Headers.ETag?.ToString();
        Assert.False(string.IsNullOrEmpty(etag));
        var updated = await Call("BudgetsUpdate", HttpMethod.Put, "/api/budgets/serve-tour",
            """{"scope":{"tenant":"acme"},"period":"month","limitUsd":20}""", etag);
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed,
            (await Call("BudgetsUpdate", HttpMethod.Put, "/api/budgets/serve-tour", """{"scope":{"tenant":"acme"},"period":"month","limitUsd":30}""", etag)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Call("BudgetStatus", HttpMethod.Get, "/api/budgets/serve-tour/status")).Status);
        // No webhook, so no secret to rotate: a 400 that says why.
        Assert.Equal(HttpStatusCode.BadRequest, (await Call("BudgetsRotateSecret", HttpMethod.Post, "/api/budgets/serve-tour/rotate-secret")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Call("AlertsList", HttpMethod.Get, "/api/alerts?budget=serve-tour")).Status);
        // serve-tour only alerts, so admission reserves nothing: allowed, with no budget named.
        var admission = await Call("Admission", HttpMethod.Post, "/api/admission",
            """{"request_id":"tour-1","tenant":"acme","model":"gpt-4o","input_tokens":10,"max_output_tokens":10}""");
        Assert.Equal(HttpStatusCode.OK, admission.Status);
        Assert.Equal("allow", (string?)JsonNode.Parse(admission.Body)!["decision"]);
        Assert.Null(JsonNode.Parse(admission.Body)!["budget_id"]);

        Assert.Equal(HttpStatusCode.OK, (await Call("RecommendationsList", HttpMethod.Get, "/api/recommendations?tenant=acme")).Status);
        var decision = await Call("RecommendationsDecide", HttpMethod.Post, "/api/recommendations/acme/no-such-id/accept", "{}");
        Assert.Equal(HttpStatusCode.NotFound, decision.Status);
        Assert.Equal(HttpStatusCode.OK, (await Call("RoutingPolicy", HttpMethod.Get, "/api/routing/acme/chat")).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await Call("BudgetsDelete", HttpMethod.Delete, "/api/budgets/serve-tour")).Status);
        var audit = await Call("AuditList", HttpMethod.Get, "/api/audit");
        Assert.Equal(HttpStatusCode.OK, audit.Status);
        Assert.Contains(JsonNode.Parse(audit.Body)!.AsArray(), e => (string?)e!["action"] == "budget.delete" && (string?)e["target"] == "serve-tour");
        Assert.Equal(HttpStatusCode.NotFound, (await Call("BudgetsGet", HttpMethod.Get, "/api/budgets/serve-tour")).Status);

        Assert.Equal(ApiRoutes.All.Select(r => r.Function).Order(StringComparer.Ordinal), visited.Order(StringComparer.Ordinal));
    }
}
