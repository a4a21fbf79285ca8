using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CostOps.Core.Access;
using CostOps.Infrastructure;
using CostOps.Infrastructure.Access;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostOps.Integration.Tests.Hosting;

/// <summary>
/// The route table on the real registrations over loopback HTTP, with one dependency gone: ClickHouse is a server
/// address where nothing listens (the real ClickHouse.Driver transport, a refused connection), or Azure Tables is.
/// Every route that needs the missing one answers 503 with Retry-After and the stable problem type; the others work;
/// the health route says which dependency failed.
/// </summary>
public sealed class DependencyOutageTests
{
    private const string Key = "outage-test-key";

    private static async Task<(WebApplication App, HttpClient Http)> StartAsync(bool clickHouseDown, bool tablesDown)
    {
        var azurite = await TestEnvironment.AzuriteAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Server mode: nothing listens on a port just freed.
            ["ClickHouse:ConnectionString"] = clickHouseDown ? $"Host=127.0.0.1;Port={TestEnvironment.FreePort()};Protocol=http" : null,
            ["ClickHouse:DataPath"] = clickHouseDown ? null : Path.Combine(TestEnvironment.StateDirectory, "clickhouse"),
            ["ClickHouse:Database"] = "default", // health needs no schema; this host migrates nothing
            ["Tables:ConnectionString"] = TestEnvironment.TablesConnectionStringFor(tablesDown ? TestEnvironment.FreePort() : azurite.Port),
            ["Tables:TablePrefix"] = TestEnvironment.UniqueName("o"),
            [$"{SecurityOptions.SectionName}:{nameof(SecurityOptions.BootstrapAdminKey)}"] = Key,
        });
        builder.Services.AddCostOpsInfrastructure(builder.Configuration);
        var app = builder.Build();
        if (!tablesDown) await app.Services.GetRequiredService<TableStorage>().EnsureTablesAsync();
        app.MapCostOpsApi();
        await app.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        http.DefaultRequestHeaders.Add(ApiAuthenticator.KeyHeader, Key);
        return (app, http);
    }

    private static async Task<JsonNode> AssertUnavailableAsync(HttpResponseMessage response, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.RequestMessage!.RequestUri}: {(int)response.StatusCode} {body}");
        Assert.Equal(TimeSpan.FromSeconds(ApiProblem.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        var json = JsonNode.Parse(body)!;
        if (type != "") Assert.Equal(type, (string?)json["type"]);
        return json;
    }

    [Fact]
    public async Task Without_ClickHouse_its_routes_answer_503_with_Retry_After_and_the_rest_work()
    {
        var (app, http) = await StartAsync(clickHouseDown: true, tablesDown: false);
        await using var _ = app;
        using var __ = http;
        var unavailable = ApiProblem.ClickHouseUnavailable.Type;

        var health = await AssertUnavailableAsync(await http.GetAsync("/api/health"), "");
        Assert.Equal("unavailable", (string?)health["status"]);
        Assert.Equal("unavailable", (string?)health["checks"]!["clickhouse"]!["status"]);
        Assert.False(string.IsNullOrEmpty((string?)health["checks"]!["clickhouse"]!["error"]), health.ToJsonString());
        Assert.Equal("ok", (string?)health["checks"]!["tables"]!["status"]);

        await AssertUnavailableAsync(await http.GetAsync("/api/spend?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&group_by=tenant"), unavailable);
        await AssertUnavailableAsync(await http.GetAsync("/api/recommendations?tenant=acme"), unavailable);

        // Budgets live in Tables: defining one works; its status needs the spend, from ClickHouse.
        var budget = """{"id":"outage-1","scope":{"tenant":"acme"},"period":"month","limitUsd":100}""";
        var created = await http.PostAsync("/api/budgets", new StringContent(budget, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await AssertUnavailableAsync(await http.GetAsync("/api/budgets/outage-1/status"), unavailable);

        // Events that cannot be stored are refused whole, to be sent again: nothing is half-kept.
        var usage = await http.PostAsync("/api/usage", new StringContent(
            """{"event_id":"outage-e1","timestamp":"2026-11-30T10:00:00Z","tenant":"acme","provider":"openai","model":"gpt-4o","input_tokens":10,"output_tokens":1}""",
            Encoding.UTF8, "application/x-ndjson"));
        var problem = await AssertUnavailableAsync(usage, "");
        Assert.Contains((string?)problem["type"], new[] { unavailable, ApiProblem.StorageUnavailable.Type });
    }

    [Fact]
    public async Task Without_Azure_Tables_the_health_route_says_so()
    {
        var (app, http) = await StartAsync(clickHouseDown: false, tablesDown: true);
        await using var _ = app;
        using var __ = http;

        var health = await AssertUnavailableAsync(await http.GetAsync("/api/health"), "");
        Assert.True((string?)health["checks"]!["clickhouse"]!["status"] == "ok", health.ToJsonString());
        Assert.StartsWith("26.", (string?)health["checks"]!["clickhouse"]!["version"]);
        Assert.Equal("unavailable", (string?)health["checks"]!["tables"]!["status"]);

        // Anonymous: which dependency is not ready, and not why.
        using var anonymous = new HttpClient { BaseAddress = http.BaseAddress };
        var status = await AssertUnavailableAsync(await anonymous.GetAsync("/api/health"), "");
        Assert.Equal("""{"status":"unavailable","checks":{"clickhouse":{"status":"ok"},"tables":{"status":"unavailable"},"ingestion":{"status":"ok"}}}""",
            status.ToJsonString());

        // Routes that need Tables answer 503 with its own type, never a 500 after the SDK's retries: budgets, and events
        // before the host's first price load (prices live in Tables). Concurrent callers share one load and one answer.
        await AssertUnavailableAsync(await http.GetAsync("/api/budgets"), ApiProblem.TablesUnavailable.Type);
        var usage = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => http.PostAsync("/api/usage", new StringContent(
            $$"""{"event_id":"tables-down-{{i}}","timestamp":"2026-11-30T10:00:00Z","tenant":"acme","provider":"openai","model":"gpt-4o","input_tokens":10,"output_tokens":1}""",
            Encoding.UTF8, "application/json"))));
        foreach (var response in usage) await AssertUnavailableAsync(response, ApiProblem.TablesUnavailable.Type);
    }

    [Fact]
    public async Task Health_tells_anyone_but_an_admin_each_check_status_and_nothing_else()
    {
        var (app, admin) = await StartAsync(clickHouseDown: false, tablesDown: false);
        await using var _ = app;
        using var __ = admin;
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        var (_, reader) = await keys.CreateAsync("health-reader", Role.Reader, TenantScope.All);
        var (_, tenantAdmin) = await keys.CreateAsync("health-tenant-admin", Role.Admin, TenantScope.Of(["acme"]));
        const string statusOnly = """{"status":"ok","checks":{"clickhouse":{"status":"ok"},"tables":{"status":"ok"},"ingestion":{"status":"ok"}}}""";

        // No key, a wrong key, a reader's key, an admin key of one tenant: the route answers (it is anonymous) with statuses only.
        foreach (var key in new string?[] { null, "not-a-key", reader, tenantAdmin })
        {
            using var caller = new HttpClient { BaseAddress = admin.BaseAddress };
            if (key is not null) caller.DefaultRequestHeaders.Add(ApiAuthenticator.KeyHeader, key);
            var response = await caller.GetAsync("/api/health");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(statusOnly, await response.Content.ReadAsStringAsync());
        }

        // An admin of every tenant: each check's details too.
        var details = JsonNode.Parse(await (await admin.GetAsync("/api/health")).Content.ReadAsStringAsync())!;
        Assert.Equal("ok", (string?)details["status"]);
        Assert.StartsWith("26.", (string?)details["checks"]!["clickhouse"]!["version"]);
        Assert.NotNull(details["checks"]!["tables"]!["duration_ms"]);
        Assert.Equal(0, (int)details["checks"]!["ingestion"]!["pending_batches"]!);
    }
}
