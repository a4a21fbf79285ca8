using System.Net;
using System.Text;
using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Access;

/// <summary>
/// Every change to budgets, keys and prices is recorded with who made it, when, and the value before and after with
/// secrets masked; admins read it with <c>GET /api/audit</c> (real <c>serve</c> over loopback, Azurite) or <c>costops audit</c>.
/// </summary>
public sealed class AuditTrailTests
{
    private const string Slack = "http://127.0.0.1:9/services/T0/B0/auditSlackSecret9876";

    [Fact]
    public async Task Changes_are_recorded_with_their_author_and_masked_values_and_only_admins_read_them()
    {
        var installation = new CliProcess { Settings = new Dictionary<string, string> { ["Webhooks__AllowLoopback"] = "true" } };
        await using var serve = await ServeProcess.StartAsync(installation);
        var writer = await ScopedKeys.CreateAsync(installation, "writer", "acme");
        var admin = await ScopedKeys.CreateAsync(installation, "admin", "acme");
        using var writerClient = ScopedKeys.Client(serve, writer.Key);

        var created = await writerClient.PostAsync("/api/budgets", new StringContent(
            $$$"""{"id":"aud","scope":{"tenant":"acme"},"limitUsd":5,"channels":{"webhook":"http://127.0.0.1:9/hook","slack":"{{{Slack}}}"}}""", Encoding.UTF8, "application/json"));
        var secret = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("channels").GetProperty("webhookSecret").GetString()!;
        var shown = await writerClient.GetStringAsync("/api/budgets/aud");
        Assert.Equal(HttpStatusCode.OK, (await writerClient.PutAsync("/api/budgets/aud", new StringContent(shown.Replace("\"limitUsd\":5", "\"limitUsd\":7"), Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await writerClient.DeleteAsync("/api/budgets/aud")).StatusCode);
        Assert.Equal(0, (await new CliProcess(installation).RunAsync("keys", "revoke", writer.Id)).ExitCode);

        using (var scopedAdmin = ScopedKeys.Client(serve, admin.Key))
            Assert.Equal(HttpStatusCode.Forbidden, (await scopedAdmin.GetAsync("/api/audit")).StatusCode);
        var text = await serve.Http.GetStringAsync("/api/audit");
        var entries = JsonDocument.Parse(text).RootElement.EnumerateArray().ToList();
        string Actor(string action, string target) => entries.Single(e => e.GetProperty("action").GetString() == action && e.GetProperty("target").GetString() == target).GetProperty("actor").GetString()!;
        Assert.Equal("key:" + writer.Id, Actor("budget.create", "aud"));
        Assert.Equal("key:" + writer.Id, Actor("budget.update", "aud"));
        Assert.Equal("key:" + writer.Id, Actor("budget.delete", "aud"));
        Assert.StartsWith("cli:", Actor("key.create", writer.Id), StringComparison.Ordinal);
        Assert.StartsWith("cli:", Actor("key.revoke", writer.Id), StringComparison.Ordinal);
        var update = entries.Single(e => e.GetProperty("action").GetString() == "budget.update");
        Assert.Contains("\"limitUsd\":5", update.GetProperty("before").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"limitUsd\":7", update.GetProperty("after").GetString(), StringComparison.Ordinal);
        // Newest first (within one process's clock), and no secret anywhere: the webhook secret, the Slack URL and the
        // keys appear as nothing but hints.
        var budgetActions = entries.Select(e => e.GetProperty("action").GetString()!).Where(a => a.StartsWith("budget.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["budget.delete", "budget.update", "budget.create"], budgetActions);
        foreach (var s in new[] { secret, "auditSlackSecret", writer.Key[17..], admin.Key[17..] }) Assert.DoesNotContain(s, text, StringComparison.Ordinal);
        Assert.Contains("***9876", text, StringComparison.Ordinal);
        Assert.Empty(JsonDocument.Parse(await serve.Http.GetStringAsync("/api/audit?since=2099-01-01T00:00:00Z")).RootElement.EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await serve.Http.GetAsync("/api/audit?since=yesterday")).StatusCode);

        // Price changes through the CLI land in the same trail.
        Assert.Equal(0, await serve.StopAsync());
        var alias = await new CliProcess(installation).RunAsync("prices", "alias", "--tenant", "acme", "--alias", "fast", "--model", "gpt-4o-mini", "--provider", "openai");
        Assert.True(alias.ExitCode == 0, alias.Error);
        var cliAudit = await new CliProcess(installation).RunAsync("audit", "--json");
        var latest = JsonDocument.Parse(cliAudit.Out).RootElement.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "alias.set");
        Assert.Equal(("alias.set", "acme:fast", "openai/gpt-4o-mini"),
            (latest.GetProperty("action").GetString(), latest.GetProperty("target").GetString(), latest.GetProperty("after").GetString()));
        Assert.StartsWith("cli:", latest.GetProperty("actor").GetString(), StringComparison.Ordinal);
    }
}
