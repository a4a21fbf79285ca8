using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.Secrets;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.AspNetCore.DataProtection;

namespace CostOps.Integration.Tests.Access;

/// <summary>
/// Slack and Teams URLs and webhook secrets are write-only over real loopback HTTP to <c>costops serve</c> with Azurite:
/// answers show a hint (the last 4 characters), a generated secret is shown once (creation, rotation), a shown definition
/// sent back keeps the stored values, and the alert outbox holds a reference to the channel, never its URL.
/// </summary>
public sealed class WriteOnlySecretsTests
{
    private const string Slack = "http://127.0.0.1:9/services/T0SLACK/B0SLACK/slackSecretPart1234";
    private const string Teams = "http://127.0.0.1:9/webhookb2/teamsSecretPart5678";
    private const string Webhook = "http://127.0.0.1:9/costops-alerts";

    [Fact]
    public async Task Credentials_come_back_as_hints_a_generated_secret_once_and_the_outbox_keeps_no_url()
    {
        var installation = new CliProcess { Settings = new Dictionary<string, string> { ["Webhooks__AllowLoopback"] = "true" } };
        await using var serve = await ServeProcess.StartAsync(installation);
        var http = serve.Http;

        var created = await http.PostAsync("/api/budgets", Json($$$"""
            {"id":"wo","scope":{"tenant":"acme"},"limitUsd":0.0001,"thresholds":[{"percent":50}],
             "channels":{"webhook":"{{{Webhook}}}","slack":"{{{Slack}}}","teams":"{{{Teams}}}"}}
            """));
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, createdText);
        var channels = JsonDocument.Parse(createdText).RootElement.GetProperty("channels");
        var secret = channels.GetProperty("webhookSecret").GetString()!;
        Assert.Equal(43, secret.Length); // generated: shown this once
        Assert.Equal("***1234", channels.GetProperty("slack").GetString());
        Assert.Equal("***5678", channels.GetProperty("teams").GetString());
        Assert.Equal(Webhook, channels.GetProperty("webhook").GetString());

        var shown = await http.GetAsync("/api/budgets/wo");
        var shownText = await shown.Content.ReadAsStringAsync();
        var listText = await http.GetStringAsync("/api/budgets");
        foreach (var text in new[] { shownText, listText })
        {
            Assert.DoesNotContain("slackSecretPart", text, StringComparison.Ordinal);
            Assert.DoesNotContain("teamsSecretPart", text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
        Assert.Contains($"\"webhookSecret\":\"***{secret[^4..]}\"", shownText, StringComparison.Ordinal);

        // The shown definition sent back (a limit changed) keeps every stored credential; a hint of nothing stored is refused.
        using (var put = new HttpRequestMessage(HttpMethod.Put, "/api/budgets/wo") { Content = Json(shownText.Replace("\"limitUsd\":0.0001", "\"limitUsd\":0.0002")) })
        {
            var updated = await http.SendAsync(put);
            Assert.True(updated.StatusCode == HttpStatusCode.OK, await updated.Content.ReadAsStringAsync());
        }
        Assert.Equal(shownText.Replace("\"limitUsd\":0.0001", "\"limitUsd\":0.0002"), await http.GetStringAsync("/api/budgets/wo"));
        using (var forged = new HttpRequestMessage(HttpMethod.Put, "/api/budgets/wo") { Content = Json(shownText.Replace("***1234", "***9999")) })
        {
            var refused = await http.SendAsync(forged);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("masked hint", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Rotation hands out a new secret once; the definition's hint follows it.
        var rotated = await http.PostAsync("/api/budgets/wo/rotate-secret", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var newSecret = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync()).RootElement.GetProperty("channels").GetProperty("webhookSecret").GetString()!;
        Assert.Equal(43, newSecret.Length);
        Assert.NotEqual(secret, newSecret);
        Assert.Contains($"\"webhookSecret\":\"***{newSecret[^4..]}\"", await http.GetStringAsync("/api/budgets/wo"), StringComparison.Ordinal);

        var ingest = await http.PostAsync("/api/usage", new StringContent(
            """{"event_id":"wo-1","timestamp":"2026-12-01T10:00:00Z","tenant":"acme","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        // The CLI opens the same embedded ClickHouse, which one process holds at a time.
        Assert.Equal(0, await serve.StopAsync());

        var cliRotated = await new CliProcess(installation).RunAsync("budgets", "rotate-secret", "wo");
        Assert.True(cliRotated.ExitCode == 0, cliRotated.Error);
        Assert.DoesNotContain(newSecret, cliRotated.Out, StringComparison.Ordinal);
        var cliShown = await new CliProcess(installation).RunAsync("budgets", "show", "wo");
        Assert.Contains($"\"webhookSecret\": \"***{cliRotated.Out.Trim()[^4..]}\"", cliShown.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("slackSecretPart", cliShown.Out, StringComparison.Ordinal);

        // Spend over the threshold, one evaluation (delivery off): the outbox rows name the channel, not the URL.
        var evaluate = await new CliProcess(installation).RunAsync("budgets", "evaluate", "--no-deliver");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        var outbox = new TableClient(TestEnvironment.TablesConnectionString, installation.TablePrefix + "alertoutbox");
        var rows = new List<TableEntity>();
        await foreach (var row in outbox.QueryAsync<TableEntity>(e => e.PartitionKey == "wo")) rows.Add(row);
        Assert.Equal(["slack", "teams", "webhook"], rows.Select(r => r.GetString("Channel")).Order().ToArray());
        foreach (var row in rows)
        {
            Assert.False(row.ContainsKey("Url"));
            Assert.DoesNotContain(row.Keys, k => row[k] is string s && (s.Contains("SecretPart", StringComparison.Ordinal) || s.Contains("127.0.0.1:9", StringComparison.Ordinal)));
        }

        // At rest the credentials are encrypted (written by serve and by the CLI, two processes sharing the state folder's
        // key ring); the plain webhook URL is not a credential.
        var stored = (await new TableClient(TestEnvironment.TablesConnectionString, installation.TablePrefix + "budgets").GetEntityAsync<TableEntity>("budget", "wo")).Value.GetString("Definition");
        Assert.DoesNotContain("SecretPart", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(cliRotated.Out.Trim(), stored, StringComparison.Ordinal);
        Assert.Equal(3, stored.Split("enc:v1:").Length - 1);
        Assert.Contains(Webhook, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_budget_stored_before_encryption_is_read_as_it_is_and_encrypted_when_next_written()
    {
        await TestEnvironment.AzuriteAsync();
        var tables = new TableStorage(new TableStorageOptions { ConnectionString = TestEnvironment.TablesConnectionString, TablePrefix = TestEnvironment.UniqueName("enc") });
        await tables.EnsureTablesAsync();
        var keys = Directory.CreateTempSubdirectory("costops-keys-");
        try
        {
            var budget = new Budget { Id = "legacy", Scope = new BudgetScope("acme"), LimitUsd = 5m, Channels = new BudgetChannels(SlackUrl: new Uri(Slack)) };
            var plainStore = new TableBudgetStore(tables);
            await plainStore.AddAsync(budget);
            var table = tables.Table(TableNames.Budgets);
            Assert.Contains("slackSecretPart", (await table.GetEntityAsync<TableEntity>("budget", "legacy")).Value.GetString("Definition"), StringComparison.Ordinal);

            var store = new TableBudgetStore(tables, new SecretProtector(DataProtectionProvider.Create(keys)));
            var read = (await store.GetAsync("legacy"))!;
            Assert.Equal(new Uri(Slack), read.Budget.Channels.SlackUrl);
            await store.UpdateAsync(read.Budget with { LimitUsd = 6m }, read.ETag);

            Assert.DoesNotContain("slackSecretPart", (await table.GetEntityAsync<TableEntity>("budget", "legacy")).Value.GetString("Definition"), StringComparison.Ordinal);
            Assert.Equal(new Uri(Slack), (await store.GetAsync("legacy"))!.Budget.Channels.SlackUrl);
            // Without the key ring (none, or another one: the ring was lost) the budget still reads, with only the
            // ciphertext for the credential, so one budget cannot stop every budget's listing and evaluation.
            Assert.StartsWith("enc:v1:", (await new TableBudgetStore(tables).GetAsync("legacy"))!.Budget.Channels.SlackUrl!.OriginalString, StringComparison.Ordinal);
            var otherKeys = Directory.CreateTempSubdirectory("costops-keys-");
            try
            {
                var otherRing = new TableBudgetStore(tables, new SecretProtector(DataProtectionProvider.Create(otherKeys)));
                Assert.StartsWith("enc:v1:", (await otherRing.ListAsync()).Single().Budget.Channels.SlackUrl!.OriginalString, StringComparison.Ordinal);
            }
            finally
            {
                otherKeys.Delete(recursive: true);
            }
        }
        finally
        {
            keys.Delete(recursive: true);
            foreach (var name in TableNames.All) await tables.Table(name).DeleteAsync();
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
