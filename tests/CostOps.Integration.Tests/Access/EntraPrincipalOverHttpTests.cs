using System.Net;
using System.Text;
using System.Text.Json;
using CostOps.Core.Access;
using CostOps.Infrastructure;
using CostOps.Infrastructure.Access;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostOps.Integration.Tests.Access;

/// <summary>
/// The Entra ID mapping of docs/security.md on real routes over loopback HTTP: a host with
/// <c>Security:TrustAppServicePrincipal</c> on (as the Functions app behind App Service Authentication) receives
/// <c>X-MS-CLIENT-PRINCIPAL</c> as the platform sends it and holds the principal to its app role and tenants, recorded
/// as <c>entra:&lt;object id&gt;</c>; with the setting off (<c>serve</c>, or no App Service Authentication in front) the
/// header is ignored, whatever it claims. The route table and its registrations are the real ones, on embedded ClickHouse
/// and Azurite; only the platform in front is played by the test (it is Azure's and cannot run here).
/// </summary>
public sealed class EntraPrincipalOverHttpTests
{
    private const string BootstrapKey = "entra-test-bootstrap";
    private const string Oid = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    /// <summary>The header as App Service Authentication builds it for an Entra ID principal: base64 JSON of its claims.</summary>
    private static string Principal(string objectId, params string[] appRoles)
    {
        var claims = new List<object> { new { typ = Oid, val = objectId }, new { typ = "name", val = "Test User" } };
        claims.AddRange(appRoles.Select(r => new { typ = "roles", val = r }));
        return Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new { auth_typ = "aad", name_typ = "name", role_typ = "roles", claims }));
    }

    private static string Event(string id, string tenant) =>
        $$"""{"event_id":"{{id}}","timestamp":"2026-11-30T10:00:00Z","tenant":"{{tenant}}","project":"chat","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}""";

    private sealed class Host(WebApplication app, string database, TableStorage tables) : IAsyncDisposable
    {
        public Uri BaseAddress { get; } = new(app.Urls.First());

        public HttpClient As(string? principal = null, string? key = null)
        {
            var client = new HttpClient { BaseAddress = BaseAddress };
            if (principal is not null) client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", principal);
            if (key is not null) client.DefaultRequestHeaders.Add(ApiAuthenticator.KeyHeader, key);
            return client;
        }

        /// <summary>A scoped key made as <c>costops keys create</c> makes it, in this host's tables.</summary>
        public async Task<string> CreateKeyAsync(Role role, string tenant) =>
            (await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync("entra-test", role, TenantScope.Of([tenant]))).Key;

        public async ValueTask DisposeAsync()
        {
            var clickHouse = app.Services.GetRequiredService<IClickHouse>();
            await clickHouse.ExecuteOutsideDatabaseAsync(app.Services.GetRequiredService<SqlCatalog>().Get(SqlNames.Migrations.DropDatabase),
                new QueryParameters { { "database", database } });
            foreach (var name in TableNames.All) await tables.Table(name).DeleteAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<Host> StartAsync(bool trustPrincipal)
    {
        await TestEnvironment.AzuriteAsync();
        var database = TestEnvironment.UniqueName("entra_");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ClickHouse:DataPath"] = Path.Combine(TestEnvironment.StateDirectory, "clickhouse"),
            ["ClickHouse:Database"] = database,
            ["ClickHouse:ConnectionString"] = TestEnvironment.ServerTransport ? TestEnvironment.ClickHouseServerConnectionString : null,
            ["Tables:ConnectionString"] = TestEnvironment.TablesConnectionString,
            ["Tables:TablePrefix"] = TestEnvironment.UniqueName("e"),
            ["Local:StateDirectory"] = TestEnvironment.StateDirectory,
            [$"{SecurityOptions.SectionName}:{nameof(SecurityOptions.BootstrapAdminKey)}"] = BootstrapKey,
            [$"{SecurityOptions.SectionName}:{nameof(SecurityOptions.TrustAppServicePrincipal)}"] = trustPrincipal ? "true" : "false",
        });
        builder.Services.AddCostOpsInfrastructure(builder.Configuration);
        var app = builder.Build();
        await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
        var tables = app.Services.GetRequiredService<TableStorage>();
        await tables.EnsureTablesAsync();
        app.MapCostOpsApi();
        await app.StartAsync();
        var host = new Host(app, database, tables);

        // Budgets of two tenants, made with the bootstrap key.
        using var boot = host.As(key: BootstrapKey);
        foreach (var tenant in new[] { "alpha", "beta" })
        {
            var made = await boot.PostAsync("/api/budgets", Json($$"""{"id":"b-{{tenant}}","scope":{"tenant":"{{tenant}}"},"limitUsd":10}"""));
            Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        }
        return host;
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, string method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = Json(body);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string[] Ids(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateArray().Select(b => b.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task A_trusted_principal_is_held_to_its_app_role_and_tenants_on_every_kind_of_route()
    {
        await using var host = await StartAsync(trustPrincipal: true);

        using (var reader = host.As(Principal("oid-reader", "CostOps.Reader", "CostOps.Tenant.alpha")))
        {
            var list = await SendAsync(reader, "GET", "/api/budgets");
            Assert.Equal(HttpStatusCode.OK, list.Status);
            Assert.Equal(["b-alpha"], Ids(list.Body));
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(reader, "GET", "/api/budgets/b-alpha")).Status);
            // Another tenant's budget is as absent as one that does not exist; another tenant named outright is 403.
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(reader, "GET", "/api/budgets/b-beta")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(reader, "GET", "/api/recommendations?tenant=beta")).Status);
            // A reader writes nothing, not even for its own tenant.
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(reader, "POST", "/api/budgets", """{"id":"r-new","scope":{"tenant":"alpha"},"limitUsd":1}""")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(reader, "POST", "/api/usage", Event("r-1", "alpha"))).Status);
        }

        // Reader and Writer both assigned: the stronger wins. Two tenant roles: both tenants, and only those.
        using (var writer = host.As(Principal("oid-writer", "CostOps.Reader", "CostOps.Writer", "CostOps.Tenant.alpha", "CostOps.Tenant.gamma")))
        {
            Assert.Equal(HttpStatusCode.Created, (await SendAsync(writer, "POST", "/api/budgets", """{"id":"w-gamma","scope":{"tenant":"gamma"},"limitUsd":3}""")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(writer, "POST", "/api/budgets", """{"id":"w-beta","scope":{"tenant":"beta"},"limitUsd":3}""")).Status);
            Assert.Equal(["b-alpha", "w-gamma"], Ids((await SendAsync(writer, "GET", "/api/budgets")).Body));
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(writer, "DELETE", "/api/budgets/b-beta")).Status);

            var usage = await SendAsync(writer, "POST", "/api/usage", Event("w-a", "alpha") + "\n" + Event("w-b", "beta"));
            Assert.Equal(HttpStatusCode.OK, usage.Status);
            var results = JsonDocument.Parse(usage.Body).RootElement;
            Assert.Equal(1, results.GetProperty("accepted").GetInt32());
            Assert.Equal("tenant_not_allowed", results.GetProperty("results")[1].GetProperty("code").GetString());
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(writer, "GET", "/api/audit")).Status);
        }

        using (var ingest = host.As(Principal("oid-ingest", "CostOps.Ingest", "CostOps.Tenant.alpha")))
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(ingest, "POST", "/api/usage", Event("i-a", "alpha"))).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(ingest, "GET", "/api/budgets")).Status);
        }

        // An admin of every tenant reaches the cross-tenant routes, and the trail names each principal by object id.
        using (var admin = host.As(Principal("oid-admin", "CostOps.Admin", "CostOps.AllTenants")))
        {
            Assert.Equal(["b-alpha", "b-beta", "w-gamma"], Ids((await SendAsync(admin, "GET", "/api/budgets")).Body));
            var audit = await SendAsync(admin, "GET", "/api/audit");
            Assert.Equal(HttpStatusCode.OK, audit.Status);
            var entries = JsonDocument.Parse(audit.Body).RootElement.EnumerateArray().ToList();
            var created = Assert.Single(entries, e => e.ToString().Contains("w-gamma", StringComparison.Ordinal));
            Assert.Contains("\"entra:oid-writer\"", created.ToString(), StringComparison.Ordinal);
        }

        // Not callers: a role without a tenant, a tenant without a role, no object id, a header that is not the platform's.
        foreach (var principal in new[]
                 {
                     Principal("oid-x", "CostOps.Admin"),
                     Principal("oid-x", "CostOps.Tenant.alpha"),
                     Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"auth_typ":"aad","claims":[{"typ":"roles","val":"CostOps.Admin"},{"typ":"roles","val":"CostOps.AllTenants"}]}""")),
                     "not the platform's header",
                 })
        {
            using var nobody = host.As(principal);
            var answer = await SendAsync(nobody, "GET", "/api/budgets");
            Assert.True(answer.Status == HttpStatusCode.Unauthorized, $"{principal}: {(int)answer.Status} {answer.Body}");
        }
    }

    [Fact]
    public async Task Without_the_setting_the_principal_header_is_ignored_whatever_it_claims()
    {
        await using var host = await StartAsync(trustPrincipal: false);
        var forgedAdmin = Principal("oid-forged", "CostOps.Admin", "CostOps.AllTenants");

        using (var forged = host.As(forgedAdmin))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(forged, "GET", "/api/budgets")).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(forged, "GET", "/api/audit")).Status);
        }

        // With a key beside it, the key alone decides: a reader of alpha stays one.
        var readerKey = await host.CreateKeyAsync(Role.Reader, "alpha");
        using var withKey = host.As(forgedAdmin, readerKey);
        Assert.Equal(["b-alpha"], Ids((await SendAsync(withKey, "GET", "/api/budgets")).Body));
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(withKey, "GET", "/api/audit")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(withKey, "POST", "/api/budgets", """{"id":"f-new","scope":{"tenant":"alpha"},"limitUsd":1}""")).Status);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
