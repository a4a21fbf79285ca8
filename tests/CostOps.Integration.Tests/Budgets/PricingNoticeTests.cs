using System.Text;
using System.Text.Json;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Pricing;
using CostOps.Infrastructure.Webhooks;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CostOps.Integration.Tests.Budgets;

/// <summary>
/// Pricing notices through the budget channels, end to end on real chDB, real Azurite and a real webhook receiver on
/// loopback: traffic on a model without a price is told once per (tenant, model), and an applied price sync is told
/// once to the tenants whose traffic uses a changed or added model; reruns and second ticks send nothing.
/// </summary>
public sealed class PricingNoticeTests(ClickHouseFixture clickHouse) : IClassFixture<ClickHouseFixture>
{
    private static async Task IngestAsync(BudgetTestHost host, ClickHouseFixture clickHouse, params string[] lines)
    {
        // The host's rollups: live commits defer their rollup refresh, and the notice service refreshes what they marked.
        var handler = new UsageIngestionHandler(host.ClickHouse, clickHouse.Catalog, new BundledPriceCatalogSource(), host.Rollups, host.Time);
        var summary = await handler.HandleAsync([Encoding.UTF8.GetBytes(string.Join('\n', lines))], "test", CancellationToken.None);
        Assert.Equal(lines.Length, summary.Accepted);
    }

    private static string Line(string tenant, string provider, string model, int input = 1000, int output = 100) =>
        $$"""{"event_id":"{{Guid.NewGuid():N}}","timestamp":"{{BudgetTestHost.Start.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}}","tenant":"{{tenant}}","provider":"{{provider}}","model":"{{model}}","input_tokens":{{input}},"output_tokens":{{output}}}""";

    private static List<JsonElement> Bodies(WebhookReceiver receiver, string path) =>
        receiver.Requests.Where(r => r.Path.EndsWith(path, StringComparison.Ordinal)).Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();

    [Fact]
    public async Task Traffic_on_a_model_without_a_price_is_told_once_per_tenant_and_model_with_its_estimate()
    {
        await using var receiver = new WebhookReceiver();
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        await using var twin = await host.TwinAsync(clickHouse);
        var tenant = TestEnvironment.UniqueName("nomodel-");
        await IngestAsync(host, clickHouse, Line(tenant, "someone-new", "their-model-x"), Line(tenant, "someone-new", "their-model-x"),
            Line(tenant, "openai", "gpt-4o"));
        // A limit far above the spend: only the notice can be sent.
        await host.Budgets.AddAsync(BudgetTestHost.Monthly("watch", tenant, 1000m, receiver.Url("watch")));

        await host.TickAsync();
        await twin.TickAsync();
        await host.TickAsync();

        var notice = Assert.Single(Bodies(receiver, "watch"));
        Assert.Equal("pricing.unknown_model", notice.GetProperty("type").GetString());
        Assert.Equal(("someone-new", "their-model-x", 2), (notice.GetProperty("provider").GetString(), notice.GetProperty("model").GetString(), notice.GetProperty("requests").GetInt32()));
        // The documented default estimate for an unknown provider, $15 input and $75 output per 1M tokens, twice:
        // 2 x (1,000 x 15 + 100 x 75) / 1e6 = 0.045.
        Assert.Equal(0.045m, notice.GetProperty("estimated_spend_usd").GetDecimal());
        Assert.Contains("Add its price", notice.GetProperty("summary").GetString());
        Assert.Equal(tenant, notice.GetProperty("scope").GetProperty("tenant").GetString());
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(notice.GetProperty("alert_id").GetString(), request.Headers["Idempotency-Key"]);
        Assert.True(request.Headers.ContainsKey(WebhookSignature.Header));

        // A second unknown model later is a new notice; the first is not repeated.
        await IngestAsync(host, clickHouse, Line(tenant, "someone-new", "their-model-y"));
        await host.TickAsync();
        Assert.Equal(["their-model-x", "their-model-y"], Bodies(receiver, "watch").Select(b => b.GetProperty("model").GetString()).Order());
    }

    [Fact]
    public async Task An_applied_price_sync_is_told_once_to_the_tenants_using_a_changed_or_added_model()
    {
        await using var receiver = new WebhookReceiver();
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var user = TestEnvironment.UniqueName("uses-");
        var other = TestEnvironment.UniqueName("other-");
        await IngestAsync(host, clickHouse, Line(user, "openai", "gpt-4o"), Line(user, "openai", "gpt-9-preview"), Line(other, "anthropic", "claude-sonnet-4-5"));
        await host.Budgets.AddAsync(BudgetTestHost.Monthly("user-budget", user, 1000m, receiver.Url("user")));
        await host.Budgets.AddAsync(BudgetTestHost.Monthly("other-budget", other, 1000m, receiver.Url("other")));

        // gpt-4o input $2.50 -> $2 per 1M (output unchanged), and gpt-9-preview priced for the first time ($4 / $16).
        using var server = new MapServer("""
            { "gpt-4o": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2e-06, "output_cost_per_token": 1e-05 },
              "gpt-9-preview": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 4e-06, "output_cost_per_token": 1.6e-05 } }
            """);
        var options = Options.Create(new PricingOptions { SyncSource = server.Url });
        var store = new PriceTableStore(host.Tables);
        var refresh = new ScheduledPriceRefresh(new TablePriceCatalogSource(store, options, host.Time), store, host.Tables, options, host.Time,
            NullLogger<ScheduledPriceRefresh>.Instance, host.ClickHouse, clickHouse.Catalog, host.Notices);

        var report = await refresh.RunAsync();
        await host.DeliverAllAsync();

        Assert.True(report!.Applied);
        Assert.Empty(Bodies(receiver, "other"));
        var notice = Assert.Single(Bodies(receiver, "user"));
        Assert.Equal("pricing.price_change", notice.GetProperty("type").GetString());
        Assert.Equal("2026-11-15", notice.GetProperty("effective_from").GetString());
        var changes = notice.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("model").GetString()!);
        Assert.Equal(["gpt-4o", "gpt-9-preview"], changes.Keys.Order());
        var input = changes["gpt-4o"].GetProperty("fields").GetProperty("input");
        Assert.Equal(("changed", 2.5m, 2m), (changes["gpt-4o"].GetProperty("change").GetString(), input.GetProperty("old").GetDecimal(), input.GetProperty("new").GetDecimal()));
        Assert.False(changes["gpt-4o"].GetProperty("fields").TryGetProperty("output", out _));
        var added = changes["gpt-9-preview"];
        Assert.Equal(("added", 4m, 16m), (added.GetProperty("change").GetString(),
            added.GetProperty("fields").GetProperty("input").GetProperty("new").GetDecimal(), added.GetProperty("fields").GetProperty("output").GetProperty("new").GetDecimal()));
        Assert.Contains("openai/gpt-4o: input 2.5 -> 2", notice.GetProperty("summary").GetString());

        // The same day: recorded, nothing runs. Sending the same notices again collides in the outbox. The next day the
        // sync finds nothing to change. No second delivery either way.
        Assert.Null(await refresh.RunAsync());
        Assert.Equal(0, await host.Notices.NotifyPriceChangesAsync(report.Plan));
        host.Time.Advance(TimeSpan.FromDays(1));
        Assert.True((await refresh.RunAsync())!.Plan.IsEmpty);
        await host.DeliverAllAsync();
        Assert.Single(receiver.Requests);
    }
}
