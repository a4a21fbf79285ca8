using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using CostOps.Infrastructure;
using CostOps.Infrastructure.Access;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.Secrets;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Budgets;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostOps.Integration.Tests.Secrets;

/// <summary>
/// What callers and receivers see when the key ring cannot be used: a credential sent to be stored is refused with a
/// 503 (nothing stored), and an alert whose stored credential cannot be decrypted is retried, never sent with the
/// ciphertext in place of a URL or signing secret.
/// </summary>
public sealed class UnreadableCredentialTests(ClickHouseFixture clickHouse) : IClassFixture<ClickHouseFixture>
{
    private const string Key = "unreadable-credential-key";

    [Fact]
    public async Task With_Key_Vault_unreachable_a_budget_carrying_a_credential_is_a_503_and_one_without_is_stored()
    {
        await TestEnvironment.AzuriteAsync();
        var down = new StandInKeyVault { Failure = new RequestFailedException(503, "Key Vault is unreachable.") };
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ClickHouse:DataPath"] = Path.Combine(TestEnvironment.StateDirectory, "clickhouse"),
            ["ClickHouse:Database"] = clickHouse.ClickHouse.Database,
            ["Tables:ConnectionString"] = TestEnvironment.TablesConnectionString,
            ["Tables:TablePrefix"] = TestEnvironment.UniqueName("kv"),
            ["Security:KeyRingStore"] = "Tables",
            ["Security:KeyRingWrappingSecretUri"] = down.SecretUri.AbsoluteUri,
            ["Webhooks:AllowLoopback"] = "true", // the address check resolves hosts, and this machine has no DNS
            [$"{SecurityOptions.SectionName}:{nameof(SecurityOptions.BootstrapAdminKey)}"] = Key,
        });
        builder.Services.AddSingleton(new KeyRingWrappingKey(down, down.Name));
        builder.Services.AddCostOpsInfrastructure(builder.Configuration);
        await using var app = builder.Build();
        var tables = app.Services.GetRequiredService<TableStorage>();
        await tables.EnsureTablesAsync();
        app.MapCostOpsApi();
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            http.DefaultRequestHeaders.Add(ApiAuthenticator.KeyHeader, Key);

            var sealedOne = await http.PostAsync("/api/budgets", Json("""{"id":"with-secret","scope":{"tenant":"acme"},"limitUsd":5,"channels":{"webhook":"http://127.0.0.1:9/hook","webhookSecret":"kv-down-secret-0123456789"}}"""));
            var body = await sealedOne.Content.ReadAsStringAsync();
            Assert.True(sealedOne.StatusCode == HttpStatusCode.ServiceUnavailable, body);
            Assert.Equal(TimeSpan.FromSeconds(ApiProblem.RetryAfterSeconds), sealedOne.Headers.RetryAfter?.Delta);
            Assert.Equal(ApiProblem.SecretsUnavailable.Type, (string?)JsonNode.Parse(body)!["type"]);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/budgets/with-secret")).StatusCode);

            Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/budgets", Json("""{"id":"plain","scope":{"tenant":"acme"},"limitUsd":5}"""))).StatusCode);
            // No key was made under a vault no one could read it from.
            Assert.Empty(tables.Table(TableNames.DataProtectionKeys).Query<Azure.Data.Tables.TableEntity>());
        }
        finally
        {
            foreach (var name in TableNames.All) await tables.Table(name).DeleteAsync();
        }
    }

    [Fact]
    public async Task An_alert_whose_signing_secret_cannot_be_decrypted_is_retried_and_never_signed_with_the_ciphertext()
    {
        await using var receiver = new WebhookReceiver();
        var ring = new Dictionary<string, string?> { ["Security:KeyRingStore"] = "Tables" };
        await using var writer = await BudgetTestHost.StartAsync(clickHouse, settings: ring);
        var tenant = TestEnvironment.UniqueName("sealed-");
        await writer.Budgets.AddAsync(BudgetTestHost.Monthly("sealed", tenant, 100m, receiver.Url()));

        // The ring is lost (or replaced): an instance that starts now cannot decrypt the stored signing secret.
        var keys = writer.Tables.Table(TableNames.DataProtectionKeys);
        foreach (var key in keys.Query<Azure.Data.Tables.TableEntity>().ToList()) await keys.DeleteEntityAsync(key.PartitionKey, key.RowKey);
        await using var other = await BudgetTestHost.StartAsync(clickHouse, tablePrefix: writer.Tables.Prefix, time: writer.Time, settings: ring);

        await other.SpendAsync(tenant, DateTimeOffset.Parse("2026-11-10T10:00:00Z"), 90m);
        await other.TickAsync();

        Assert.Empty(receiver.Requests);
        var rows = await other.Outbox.ListAsync(budgetId: "sealed");
        Assert.Equal([50, 80], rows.Select(r => r.Threshold).Order());
        Assert.All(rows, row =>
        {
            Assert.Equal(AlertStatuses.Failed, row.Status);
            Assert.Contains("cannot be decrypted", row.LastError, StringComparison.Ordinal);
            // Retried to the policy's end (an unreachable vault comes back), not ended on the first attempt.
            Assert.Equal(5, row.Attempts);
        });
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
