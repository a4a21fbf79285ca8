using System.Net;
using System.Text;
using System.Text.Json;
using CostOps.Infrastructure.Hosting;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Access;

/// <summary>
/// Every route of the route table, driven with every role (the bootstrap admin, scoped admin, writer, reader and ingest
/// keys for tenant <c>alpha</c>, and no key) against data of <c>alpha</c> and of <c>beta</c>, over loopback HTTP to the
/// real <c>costops serve</c> with the tests' Azurite. The expected answers are the policy of docs/security.md written
/// out by hand; a route added to the table without a row here fails the last assertion.
/// </summary>
public sealed class TenantIsolationMatrixTests
{
    private const string Bootstrap = "bootstrap", Admin = "admin", Writer = "writer", Reader = "reader", Ingest = "ingest", None = "none";
    // The bootstrap admin goes last, so the scoped callers meet the other tenant's budget while it still exists.
    private static readonly string[] Callers = [Admin, Writer, Reader, Ingest, None, Bootstrap];

    private static string Event(string id, string tenant) =>
        $$"""{"event_id":"{{id}}","timestamp":"2026-11-30T10:00:00Z","tenant":"{{tenant}}","project":"chat","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}""";

    /// <summary>One request for each caller: the path and body may depend on the caller (unique ids), the status expected per caller.</summary>
    private sealed record Case(string Function, string Method, Func<string, string> Path, Func<string, string?> Body, Func<string, int> Expected, Action<string, string>? Check = null);

    /// <summary>Read routes: any key but ingest; no key is 401.</summary>
    private static int ReadRole(string caller, int ok) => caller switch { None => 401, Ingest => 403, _ => ok };

    private static int WriteRole(string caller, int ok) => caller switch { None => 401, Ingest or Reader => 403, _ => ok };

    private static int IngestRole(string caller, int ok) => caller switch { None => 401, Reader => 403, _ => ok };

    private static bool Scoped(string caller) => caller != Bootstrap;

    private static string Admission(string requestId, string tenant) =>
        $$"""{"request_id":"{{requestId}}","tenant":"{{tenant}}","provider":"openai","model":"gpt-4o","input_tokens":100,"max_output_tokens":50}""";

    [Fact]
    public async Task Every_route_with_every_role_sees_and_changes_only_its_tenants()
    {
        var installation = new CliProcess();
        await using var serve = await ServeProcess.StartAsync(installation);
        var keys = new Dictionary<string, string?> { [Bootstrap] = ServeProcess.ApiKey, [None] = null };
        foreach (var role in new[] { Admin, Writer, Reader, Ingest }) keys[role] = (await ScopedKeys.CreateAsync(installation, role, "alpha")).Key;
        var clients = keys.ToDictionary(k => k.Key, k => ScopedKeys.Client(serve, k.Value));

        // Data of both tenants, written with the bootstrap key.
        var boot = clients[Bootstrap];
        var seeded = await boot.PostAsync("/api/usage", new StringContent(Event("seed-a", "alpha") + "\n" + Event("seed-b", "beta"), Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);
        foreach (var (id, tenant) in new[] { ("b-alpha", "alpha"), ("b-beta", "beta") })
        {
            var made = await boot.PostAsync("/api/budgets", Json($$"""{"id":"{{id}}","scope":{"tenant":"{{tenant}}"},"limitUsd":10}"""));
            Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        }

        const string window = "from=2026-11-30T00:00:00Z&to=2026-12-01T00:00:00Z";
        var cases = new List<Case>
        {
            new("Health", "GET", _ => "/api/health", _ => null, _ => 200),

            // Usage: each caller sends one event of its tenant and one of beta; scoped keys land the first only.
            new("IngestUsage", "POST", _ => "/api/usage", c => Event($"m-{c}-a", "alpha") + "\n" + Event($"m-{c}-b", "beta"), c => IngestRole(c, 200),
                (c, body) =>
                {
                    var json = JsonDocument.Parse(body).RootElement;
                    Assert.Equal(Scoped(c) ? 1 : 2, json.GetProperty("accepted").GetInt32());
                    if (Scoped(c)) Assert.Equal("tenant_not_allowed", json.GetProperty("results")[1].GetProperty("code").GetString());
                }),
            new("IngestUsage", "POST", _ => "/api/usage", c => Event($"only-b-{c}", "beta"), c => IngestRole(c, Scoped(c) ? 400 : 200)),

            // Admission is a gateway's call before usage: the same roles, and only for the caller's tenants.
            new("Admission", "POST", _ => "/api/admission", c => Admission($"adm-{c}-a", "alpha"), c => IngestRole(c, 200)),
            new("Admission", "POST", _ => "/api/admission", c => Admission($"adm-{c}-b", "beta"), c => IngestRole(c, Scoped(c) ? 403 : 200)),

            // Spend without a tenant: a scoped caller's totals hold its tenants only.
            new("Spend", "GET", _ => $"/api/spend?{window}&group_by=tenant", _ => null, c => ReadRole(c, 200),
                (c, body) => Assert.Equal(Scoped(c) ? ["alpha"] : ["alpha", "beta"],
                    JsonDocument.Parse(body).RootElement.EnumerateArray().Select(r => r.GetProperty("tenant").GetString()).Order().ToArray())),
            new("Spend", "GET", _ => $"/api/spend?{window}&tenant=beta", _ => null, c => ReadRole(c, Scoped(c) ? 403 : 200)),

            new("PricesList", "GET", _ => "/api/prices?provider=openai", _ => null, c => ReadRole(c, 200)),
            new("Estimate", "POST", _ => "/api/estimate", _ => """{"model":"gpt-4o","prompt":"hello","expected_output_tokens":10}""", c => ReadRole(c, 200)),

            new("BudgetsList", "GET", _ => "/api/budgets", _ => null, c => ReadRole(c, 200),
                (c, body) => Assert.Equal(Scoped(c) ? ["b-alpha"] : ["b-alpha", "b-beta"],
                    JsonDocument.Parse(body).RootElement.EnumerateArray().Select(b => b.GetProperty("id").GetString()).Order().ToArray())),
            new("BudgetsGet", "GET", _ => "/api/budgets/b-alpha", _ => null, c => ReadRole(c, 200)),
            // Another tenant's budget is exactly as absent as one that does not exist.
            new("BudgetsGet", "GET", _ => "/api/budgets/b-beta", _ => null, c => ReadRole(c, Scoped(c) ? 404 : 200)),
            new("BudgetStatus", "GET", _ => "/api/budgets/b-alpha/status", _ => null, c => ReadRole(c, 200)),
            new("BudgetStatus", "GET", _ => "/api/budgets/b-beta/status", _ => null, c => ReadRole(c, Scoped(c) ? 404 : 200)),
            new("AlertsList", "GET", _ => "/api/alerts?budget=b-alpha", _ => null, c => ReadRole(c, 200)),
            new("AlertsList", "GET", _ => "/api/alerts?budget=b-beta", _ => null, c => ReadRole(c, Scoped(c) ? 404 : 200)),

            new("BudgetsCreate", "POST", _ => "/api/budgets", c => $$"""{"id":"new-{{c}}","scope":{"tenant":"alpha"},"limitUsd":5}""", c => WriteRole(c, 201)),
            new("BudgetsCreate", "POST", _ => "/api/budgets", c => $$"""{"id":"foreign-{{c}}","scope":{"tenant":"beta"},"limitUsd":5}""", c => WriteRole(c, Scoped(c) ? 403 : 201)),
            new("BudgetsUpdate", "PUT", c => $"/api/budgets/new-{c}", _ => """{"scope":{"tenant":"alpha"},"limitUsd":6}""", c => WriteRole(c, 200)),
            // Moving a budget to another tenant is creating one there.
            new("BudgetsUpdate", "PUT", c => $"/api/budgets/new-{c}", _ => """{"scope":{"tenant":"beta"},"limitUsd":6}""", c => WriteRole(c, Scoped(c) ? 403 : 200)),
            new("BudgetsUpdate", "PUT", _ => "/api/budgets/b-beta", _ => """{"scope":{"tenant":"beta"},"limitUsd":11}""", c => WriteRole(c, Scoped(c) ? 404 : 200)),
            // Neither budget has a webhook: the caller who may see it learns that (400), the others get 404 or their role's answer.
            new("BudgetsRotateSecret", "POST", _ => "/api/budgets/b-alpha/rotate-secret", _ => null, c => WriteRole(c, 400)),
            new("BudgetsRotateSecret", "POST", _ => "/api/budgets/b-beta/rotate-secret", _ => null, c => WriteRole(c, Scoped(c) ? 404 : 400)),
            new("BudgetsDelete", "DELETE", _ => "/api/budgets/b-beta", _ => null, c => WriteRole(c, Scoped(c) ? 404 : 204)),
            new("BudgetsDelete", "DELETE", c => $"/api/budgets/new-{c}", _ => null, c => WriteRole(c, 204)),

            // Cross-tenant administration: only an admin for every tenant.
            new("AuditList", "GET", _ => "/api/audit", _ => null, c => c switch { None => 401, Bootstrap => 200, _ => 403 }),
            new("RecommendationsList", "GET", _ => "/api/recommendations?tenant=alpha", _ => null, c => ReadRole(c, 200)),
            new("RecommendationsList", "GET", _ => "/api/recommendations?tenant=beta", _ => null, c => ReadRole(c, Scoped(c) ? 403 : 200)),
            new("RecommendationsDecide", "POST", _ => "/api/recommendations/alpha/no-such/accept", _ => "{}", c => WriteRole(c, 404)),
            new("RecommendationsDecide", "POST", _ => "/api/recommendations/beta/no-such/accept", _ => "{}", c => WriteRole(c, Scoped(c) ? 403 : 404)),
            new("RoutingPolicy", "GET", _ => "/api/routing/alpha/chat", _ => null, c => ReadRole(c, 200)),
            new("RoutingPolicy", "GET", _ => "/api/routing/beta/chat", _ => null, c => ReadRole(c, Scoped(c) ? 403 : 200)),
        };

        var failures = new List<string>();
        foreach (var test in cases)
        {
            var route = ApiRoutes.Named(test.Function);
            Assert.Equal(route.Method, test.Method);
            foreach (var caller in Callers)
            {
                var path = test.Path(caller);
                using var request = new HttpRequestMessage(new HttpMethod(test.Method), path);
                if (test.Body(caller) is { } body) request.Content = Json(body);
                using var response = await clients[caller].SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var expected = test.Expected(caller);
                if ((int)response.StatusCode != expected)
                {
                    failures.Add($"{caller,-9} {test.Method} {path}: {(int)response.StatusCode}, expected {expected}: {text}");
                    continue;
                }
                if (expected >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                else test.Check?.Invoke(caller, text);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(ApiRoutes.All.Select(r => r.Function).Order(StringComparer.Ordinal), cases.Select(c => c.Function).Distinct().Order(StringComparer.Ordinal));
        foreach (var client in clients.Values) client.Dispose();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
