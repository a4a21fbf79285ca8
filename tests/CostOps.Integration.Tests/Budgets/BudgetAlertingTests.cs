using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Webhooks;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Budgets;

public sealed class BudgetAlertingTests(ClickHouseFixture clickHouse) : IClassFixture<ClickHouseFixture>
{
    private static readonly DateTimeOffset Nov10 = DateTimeOffset.Parse("2026-11-10T10:00:00Z");

    private static string Tenant() => TestEnvironment.UniqueName("acme-");

    private static int Threshold(WebhookReceiver.Received r) => JsonDocument.Parse(r.Body).RootElement.GetProperty("threshold").GetInt32();

    [Fact]
    public async Task Thresholds_crossed_in_steps_alert_exactly_once_each()
    {
        await using var receiver = new WebhookReceiver();
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var tenant = Tenant();
        await host.Budgets.AddAsync(BudgetTestHost.Monthly("steps", tenant, 100m, receiver.Url()));

        await host.TickAsync(); // no spend yet
        await host.SpendAsync(tenant, Nov10, 55m);
        await host.TickAsync();
        await host.TickAsync();
        await host.SpendAsync(tenant, Nov10.AddHours(1), 30m);
        await host.TickAsync();
        await host.TickAsync();
        await host.SpendAsync(tenant, Nov10.AddHours(2), 20m);
        await host.TickAsync();
        await host.TickAsync();

        var received = receiver.Requests.ToList();
        Assert.Equal([50, 80, 100], received.Select(Threshold));
        Assert.Equal(3, received.Select(r => r.Headers["Idempotency-Key"]).Distinct().Count());
        var last = JsonDocument.Parse(received[^1].Body).RootElement;
        Assert.Equal(105m, last.GetProperty("spend_usd").GetDecimal());
        Assert.Equal(100m, last.GetProperty("limit_usd").GetDecimal());
        Assert.Equal(105m, last.GetProperty("percent").GetDecimal());
        Assert.Equal("m2026-11", last.GetProperty("period").GetProperty("key").GetString());
        Assert.Equal(tenant, last.GetProperty("scope").GetProperty("tenant").GetString());
        Assert.Equal("actual", last.GetProperty("kind").GetString());
        Assert.True(last.GetProperty("forecast_usd").GetDecimal() >= 105m);
        Assert.Contains("crossed 100%", last.GetProperty("summary").GetString());

        var recorded = await host.ClickHouse.QueryAsync(
            "SELECT threshold FROM budget_alerts FINAL WHERE budget_id = 'steps' AND tenant = {t:String} ORDER BY threshold", "TSV",
            new() { { "t", tenant } });
        Assert.Equal("50\n80\n100\n", recorded);
    }

    [Fact]
    public async Task Concurrent_evaluations_enqueue_and_deliver_each_alert_once()
    {
        await using var receiver = new WebhookReceiver();
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        await using var twin = await host.TwinAsync(clickHouse);
        var tenant = Tenant();
        await host.Budgets.AddAsync(BudgetTestHost.Monthly("race", tenant, 100m, receiver.Url()));
        await host.SpendAsync(tenant, Nov10, 90m);

        var reports = await Task.WhenAll(
            Task.Run(() => host.Evaluator.EvaluateAsync()), Task.Run(() => twin.Evaluator.EvaluateAsync()),
            Task.Run(() => host.Evaluator.EvaluateAsync()), Task.Run(() => twin.Evaluator.EvaluateAsync()));
        Assert.Equal(2, reports.Sum(r => r.Enqueued.Count));
        // Two workers on the same due rows at once; neither moves the shared clock while the other has a request in flight.
        await Task.WhenAll(Task.Run(() => host.Delivery.RunOnceAsync()), Task.Run(() => twin.Delivery.RunOnceAsync()));
        await host.TickAsync();

        Assert.Equal([50, 80], receiver.Requests.Select(Threshold).Order());
        Assert.Equal(2, (await host.Outbox.ListAsync("race")).Count);
        var recorded = await host.ClickHouse.QueryAsync(
            "SELECT count() FROM budget_alerts FINAL WHERE tenant = {t:String}", "TSV", new() { { "t", tenant } });
        Assert.Equal("2\n", recorded);
    }

    [Fact]
    public async Task The_same_alert_enqueued_by_eight_writers_at_once_is_enqueued_once()
    {
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var budget = BudgetTestHost.Monthly("eight", Tenant(), 100m, "http://127.0.0.1:9/none");
        var period = BudgetPeriods.Current(budget, host.Time.GetUtcNow());
        var alert = Assert.Single(AlertDecider.Decide(budget, period, 60m, 60m, new HashSet<SentAlert>(), host.Time.GetUtcNow()));

        var wins = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => host.Outbox.EnqueueAsync(alert, budget.Channels))));

        Assert.Single(wins, w => w);
        Assert.Single(await host.Outbox.ListAsync("eight"));
    }

    [Fact]
    public async Task A_receiver_answering_503_three_times_then_200_gets_the_alert_exactly_once()
    {
        await using var receiver = new WebhookReceiver(n => n <= 3 ? 503 : 200);
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var tenant = Tenant();
        await host.Budgets.AddAsync(BudgetTestHost.Monthly("flaky", tenant, 100m, receiver.Url(), [new(50, ThresholdKind.Actual)]));
        await host.SpendAsync(tenant, Nov10, 60m);

        await host.Evaluator.EvaluateAsync();
        for (var i = 0; i < 10; i++)
        {
            await host.Delivery.RunOnceAsync();
            host.Time.Advance(TimeSpan.FromSeconds(5));
        }

        var requests = receiver.Requests.ToList();
        Assert.Equal([503, 503, 503, 200], requests.Select(r => r.Answer));
        Assert.Single(requests.Select(r => r.Headers["Idempotency-Key"]).Distinct());
        Assert.Equal(["1", "2", "3", "4"], requests.Select(r => r.Headers["X-CostOps-Delivery-Attempt"]));
        var row = Assert.Single(await host.Outbox.ListAsync("flaky"));
        Assert.Equal(AlertStatuses.Delivered, row.Status);
        Assert.Equal(4, row.Attempts);
        Assert.Equal(200, row.LastStatusCode);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_ends_failed_with_the_error_recorded()
    {
        await using var receiver = new WebhookReceiver(_ => null);
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var tenant = Tenant();
        await host.Budgets.AddAsync(BudgetTestHost.Monthly("silent", tenant, 100m, receiver.Url(), [new(50, ThresholdKind.Actual)]));
        await host.SpendAsync(tenant, Nov10, 60m);

        await host.Evaluator.EvaluateAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var run = host.Delivery.RunOnceAsync();
            await receiver.Arrived(attempt);
            Assert.False(run.IsCompleted); // the 300 ms timeout runs on the fake clock: nothing expires until it moves
            host.Time.Advance(TimeSpan.FromMilliseconds(300));
            Assert.Equal(1, (await run).Due);
            host.Time.Advance(TimeSpan.FromSeconds(5)); // past the longest backoff (4 s)
        }
        Assert.Equal(0, (await host.Delivery.RunOnceAsync()).Due);

        var row = Assert.Single(await host.Outbox.ListAsync("silent"));
        Assert.Equal(AlertStatuses.Failed, row.Status);
        Assert.Equal(5, row.Attempts);
        Assert.Equal("attempt 5: timed out after 0.3 s without a response", row.LastError);
        Assert.Equal(5, receiver.Requests.Count);
        var api = await host.Api.AlertsAsync("silent", AlertStatuses.Failed);
        Assert.Contains("\"last_error\":\"attempt 5: timed out", api.Json);
    }

    [Fact]
    public async Task Month_rollover_resets_the_thresholds()
    {
        await using var receiver = new WebhookReceiver();
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var tenant = Tenant();
        await host.Budgets.AddAsync(BudgetTestHost.Monthly("rollover", tenant, 100m, receiver.Url()));
        await host.SpendAsync(tenant, Nov10, 60m);
        await host.TickAsync();

        host.Time.SetUtcNow(DateTimeOffset.Parse("2026-12-01T00:30:00Z"));
        var december = await host.TickAsync();
        Assert.Equal(0m, Assert.Single(december.Statuses).SpendUsd); // November's spend does not count
        await host.SpendAsync(tenant, DateTimeOffset.Parse("2026-12-01T00:00:00Z"), 51m);
        await host.TickAsync();
        await host.TickAsync();

        var periods = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("period").GetProperty("key").GetString()).ToList();
        Assert.Equal(["m2026-11", "m2026-12"], periods);
        Assert.Equal(2, receiver.Requests.Select(r => r.Headers["Idempotency-Key"]).Distinct().Count());
    }

    [Fact]
    public async Task A_limit_changed_mid_period_is_evaluated_against_the_new_limit_without_resending()
    {
        await using var receiver = new WebhookReceiver();
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var tenant = Tenant();
        var budget = BudgetTestHost.Monthly("limit", tenant, 100m, receiver.Url());
        await host.Budgets.AddAsync(budget);
        await host.SpendAsync(tenant, Nov10, 90m);
        await host.TickAsync();                                  // 50 and 80 of 100

        await host.Budgets.UpdateAsync(budget with { LimitUsd = 200m }, null);
        await host.TickAsync();                                  // 45 % of 200: nothing
        await host.SpendAsync(tenant, Nov10.AddHours(1), 20m);
        await host.TickAsync();                                  // 55 % of 200: 50 of 200

        await host.Budgets.UpdateAsync(budget with { LimitUsd = 100m }, null);
        await host.TickAsync();                                  // back to 100: only 100 of 100 is new

        var sent = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Select(e => $"{e.GetProperty("threshold").GetInt32()}@{e.GetProperty("limit_usd").GetDecimal()}").ToList();
        Assert.Equal(4, sent.Count);
        Assert.Equal(["50@100", "80@100"], sent.Take(2).Order()); // same tick: delivered in parallel, any order
        Assert.Equal(["50@200", "100@100"], sent.Skip(2));
    }

    [Fact]
    public async Task The_signature_verifies_with_the_documented_recipe()
    {
        await using var receiver = new WebhookReceiver();
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var tenant = Tenant();
        await host.Budgets.AddAsync(BudgetTestHost.Monthly("signed", tenant, 100m, receiver.Url(), [new(50, ThresholdKind.Actual)]));
        await host.SpendAsync(tenant, Nov10, 60m);
        await host.TickAsync();

        var request = Assert.Single(receiver.Requests);
        // docs/webhooks.md, step by step, written independently of WebhookSignature.
        var header = request.Headers["X-CostOps-Signature"];
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var signedPayload = Encoding.UTF8.GetBytes(parts["t"] + ".").Concat(request.RawBody).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("test-secret-0123456789"), signedPayload));
        Assert.True(CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts["v1"])));
        Assert.Equal(parts["t"], request.Headers["X-CostOps-Timestamp"]);
        Assert.InRange(long.Parse(parts["t"]), host.Time.GetUtcNow().ToUnixTimeSeconds() - 60, host.Time.GetUtcNow().ToUnixTimeSeconds());

        Assert.True(WebhookSignature.Verify("test-secret-0123456789", header, request.RawBody, host.Time.GetUtcNow(), TimeSpan.FromMinutes(5)));
        var tampered = request.RawBody.ToArray();
        tampered[^2] ^= 1;
        Assert.False(WebhookSignature.Verify("test-secret-0123456789", header, tampered, host.Time.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("another-secret-0123456789", header, request.RawBody, host.Time.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("test-secret-0123456789", header, request.RawBody, host.Time.GetUtcNow().AddMinutes(10), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Slack_and_Teams_receive_their_own_payloads()
    {
        await using var receiver = new WebhookReceiver();
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var tenant = Tenant();
        await host.Budgets.AddAsync(BudgetTestHost.Monthly("chat", tenant, 100m, thresholds: [new(50, ThresholdKind.Actual)]) with
        {
            Channels = new BudgetChannels(SlackUrl: new Uri(receiver.Url("slack")), TeamsUrl: new Uri(receiver.Url("teams"))),
        });
        await host.SpendAsync(tenant, Nov10, 60m);
        await host.TickAsync();

        var byPath = receiver.Requests.ToDictionary(r => r.Path);
        var slack = JsonDocument.Parse(byPath["/slack"].Body).RootElement;
        Assert.Contains("crossed 50%", slack.GetProperty("text").GetString());
        var card = JsonDocument.Parse(byPath["/teams"].Body).RootElement.GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", card.GetProperty("contentType").GetString());
        Assert.Equal("AdaptiveCard", card.GetProperty("content").GetProperty("type").GetString());
        Assert.False(byPath["/slack"].Headers.ContainsKey("X-CostOps-Signature"));
    }

    [Fact]
    public async Task Tag_budgets_count_only_events_with_the_tag_and_forecast_thresholds_use_the_forecast()
    {
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var tenant = Tenant();
        await host.Budgets.AddAsync(BudgetTestHost.Monthly("tagged", tenant, 100m, thresholds: [new(100, ThresholdKind.Forecast)]) with
        {
            Scope = new BudgetScope(tenant, TagKey: "team", TagValue: "search"),
        });
        await host.EventAsync(tenant, BudgetTestHost.Start.AddHours(-2), 10m, "team", "search");
        await host.EventAsync(tenant, BudgetTestHost.Start.AddHours(-3), 500m, "team", "ads");

        var report = await host.Evaluator.EvaluateAsync();

        var status = Assert.Single(report.Statuses);
        Assert.Equal(10m, status.SpendUsd);
        // $10 in the last 24 h → weighted rate 10 × 7/28 = 2.5/day, 15.5 days left → 10 + 38.75.
        Assert.Equal(48.75m, status.ForecastUsd);
        Assert.Empty(report.Enqueued);
        await host.EventAsync(tenant, BudgetTestHost.Start.AddHours(-1), 40m, "team", "search");
        var alert = Assert.Single((await host.Evaluator.EvaluateAsync()).Enqueued);
        Assert.Equal(ThresholdKind.Forecast, alert.Kind);
    }

    [Fact]
    public async Task Status_reports_spend_limit_remaining_and_state_through_a_short_cache()
    {
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var tenant = Tenant();
        await host.Budgets.AddAsync(BudgetTestHost.Monthly("gate", tenant, 100m));
        await host.SpendAsync(tenant, Nov10, 85m);

        var first = JsonDocument.Parse((await host.Api.StatusAsync("gate")).Json!).RootElement;
        Assert.Equal("warning", first.GetProperty("state").GetString());
        Assert.Equal(85m, first.GetProperty("spend_usd").GetDecimal());
        Assert.Equal(15m, first.GetProperty("remaining_usd").GetDecimal());
        Assert.Equal(85m, first.GetProperty("percent").GetDecimal());

        await host.SpendAsync(tenant, Nov10.AddHours(1), 20m);
        var cached = JsonDocument.Parse((await host.Api.StatusAsync("gate")).Json!).RootElement;
        Assert.Equal(85m, cached.GetProperty("spend_usd").GetDecimal());
        host.Time.Advance(TimeSpan.FromSeconds(11));
        var fresh = JsonDocument.Parse((await host.Api.StatusAsync("gate")).Json!).RootElement;
        Assert.Equal("exceeded", fresh.GetProperty("state").GetString());
        Assert.Equal(0m, fresh.GetProperty("remaining_usd").GetDecimal());
        Assert.Equal(404, (await host.Api.StatusAsync("nope")).Status);
    }
}
