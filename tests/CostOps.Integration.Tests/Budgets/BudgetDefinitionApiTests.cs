using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Budgets;

public sealed class BudgetDefinitionApiTests(ClickHouseFixture clickHouse) : IClassFixture<ClickHouseFixture>
{
    private static string[] Details(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("details").EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task Bad_budget_definitions_are_refused_with_clear_messages()
    {
        await using var host = await BudgetTestHost.StartAsync(clickHouse);

        var result = await host.Api.CreateAsync("""
            {"id":"bad","scope":{"tenant":"acme","projet":"x"},"limitUsd":0,"period":"rolling",
             "thresholds":[{"percent":1500,"kind":"actual"}],"timeZone":"Nowhere/City","color":"red"}
            """);

        Assert.Equal(400, result.Status);
        var details = Details(result.Json!);
        Assert.Contains(details, d => d.StartsWith("scope.projet: unknown field", StringComparison.Ordinal));
        Assert.Contains(details, d => d.StartsWith("color: unknown field", StringComparison.Ordinal));
        Assert.Empty((await host.Budgets.ListAsync()));

        var invalid = await host.Api.CreateAsync("""{"id":"bad","scope":{"tenant":"acme"},"limitUsd":-1,"period":"rolling","thresholds":[{"percent":1500}],"timeZone":"Nowhere/City"}""");
        var messages = Details(invalid.Json!);
        Assert.Contains("limitUsd: must be greater than 0 (got -1).", messages);
        Assert.Contains(messages, d => d.StartsWith("thresholds: 1500% is out of range 1..1000", StringComparison.Ordinal));
        Assert.Contains(messages, d => d.StartsWith("timeZone: 'Nowhere/City' is not a known IANA time zone", StringComparison.Ordinal));
        Assert.Contains(messages, d => d.StartsWith("rollingDays: a rolling period needs 1..366 days", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Production_mode_refuses_http_and_hosts_resolving_to_private_addresses()
    {
        await using var host = await BudgetTestHost.StartAsync(clickHouse, mode: "Production");

        foreach (var (url, expected) in new[]
                 {
                     ("http://hooks.example.com/x", "https is required"),
                     ("https://127.0.0.1/x", "private, loopback or link-local"),
                     ("https://169.254.169.254/latest", "private, loopback or link-local"),
                     ("https://localhost/x", "loopback hosts are refused"),
                 })
        {
            var result = await host.Api.CreateAsync($$$"""{"id":"prod","scope":{"tenant":"acme"},"limitUsd":5,"channels":{"slack":"{{{url}}}"}}""");
            Assert.Equal(400, result.Status);
            Assert.Contains(Details(result.Json!), d => d.Contains(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Crud_with_etags_generates_and_hides_the_webhook_secret()
    {
        await using var receiver = new WebhookReceiver();
        await using var host = await BudgetTestHost.StartAsync(clickHouse);

        var created = await host.Api.CreateAsync($$$"""{"id":"crud","scope":{"tenant":"acme","project":"chat"},"limitUsd":500,"channels":{"webhook":"{{{receiver.Url()}}}"}}""");
        Assert.Equal(201, created.Status);
        var secret = JsonDocument.Parse(created.Json!).RootElement.GetProperty("channels").GetProperty("webhookSecret").GetString();
        Assert.True(secret!.Length >= 40);
        Assert.Equal(409, (await host.Api.CreateAsync("""{"id":"crud","scope":{"tenant":"acme"},"limitUsd":5}""")).Status);

        var shown = await host.Api.GetAsync("crud");
        Assert.Contains($"\"webhookSecret\":\"***{secret[^4..]}\"", shown.Json);
        Assert.DoesNotContain(secret, shown.Json, StringComparison.Ordinal);
        var edited = shown.Json!.Replace("\"limitUsd\":500", "\"limitUsd\":750");
        var updated = await host.Api.UpdateAsync("crud", edited, shown.ETag);
        Assert.Equal(200, updated.Status);
        Assert.Equal(412, (await host.Api.UpdateAsync("crud", edited, shown.ETag)).Status); // stale ETag
        Assert.Equal(secret, (await host.Budgets.GetAsync("crud"))!.Budget.Channels.WebhookSecret); // "***" kept it
        Assert.Equal(750m, (await host.Budgets.GetAsync("crud"))!.Budget.LimitUsd);

        Assert.Equal(204, (await host.Api.DeleteAsync("crud", null)).Status);
        Assert.Equal(404, (await host.Api.GetAsync("crud")).Status);
    }
}
