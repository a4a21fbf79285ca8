using CostOps.Core.Budgets;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Resilience;
using CostOps.Infrastructure.Webhooks;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Budgets;

/// <summary>How delivery treats each answer (real loopback receiver, real outbox on Azurite, fake clock) and the sender's own refusals.</summary>
public sealed class WebhookDeliveryTests(ClickHouseFixture clickHouse) : IClassFixture<ClickHouseFixture>
{
    private static readonly DateTimeOffset Nov10 = DateTimeOffset.Parse("2026-11-10T10:00:00Z");

    /// <summary>One alert (50 % of $100) queued for <paramref name="receiver"/>; returns its budget id.</summary>
    private static async Task<string> QueueOneAlertAsync(BudgetTestHost host, WebhookReceiver receiver)
    {
        var tenant = TestEnvironment.UniqueName("w-");
        await host.Budgets.AddAsync(BudgetTestHost.Monthly(tenant, tenant, 100m, receiver.Url(), [new(50, ThresholdKind.Actual)]));
        await host.SpendAsync(tenant, Nov10, 60m);
        Assert.Single((await host.Evaluator.EvaluateAsync()).Enqueued);
        return tenant;
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(422)]
    public async Task A_4xx_answer_fails_the_alert_at_once(int status)
    {
        await using var receiver = new WebhookReceiver(_ => status);
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var budget = await QueueOneAlertAsync(host, receiver);

        var run = await host.Delivery.RunOnceAsync();
        host.Time.Advance(TimeSpan.FromHours(1));
        await host.Delivery.RunOnceAsync();

        Assert.Equal(1, run.Failed);
        var row = Assert.Single(await host.Outbox.ListAsync(budget));
        Assert.Equal((AlertStatuses.Failed, 1, status), (row.Status, row.Attempts, row.LastStatusCode));
        Assert.StartsWith($"attempt 1: HTTP {status} ", row.LastError);
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task A_408_429_or_5xx_answer_is_retried(int status)
    {
        await using var receiver = new WebhookReceiver(n => n == 1 ? status : 200);
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var budget = await QueueOneAlertAsync(host, receiver);

        var first = await host.Delivery.RunOnceAsync();
        var pending = Assert.Single(await host.Outbox.ListAsync(budget));
        host.Time.Advance(TimeSpan.FromSeconds(5));
        await host.Delivery.RunOnceAsync();

        Assert.Equal(1, first.Retrying);
        Assert.Equal((AlertStatuses.Pending, 1, status), (pending.Status, pending.Attempts, pending.LastStatusCode));
        var row = Assert.Single(await host.Outbox.ListAsync(budget));
        Assert.Equal((AlertStatuses.Delivered, 2, 200), (row.Status, row.Attempts, row.LastStatusCode));
        Assert.Equal([status, 200], receiver.Requests.Select(r => r.Answer));
    }

    [Fact]
    public async Task Retries_wait_the_documented_backoff_doubling_from_the_initial_delay_up_to_the_cap()
    {
        // Test settings (Resilience:AlertDelivery): InitialDelay 1 s, MaxDelay 4 s, 5 attempts; each delay is the capped doubling times [0.5, 1].
        await using var receiver = new WebhookReceiver(_ => 503);
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var budget = await QueueOneAlertAsync(host, receiver);

        foreach (var (attempt, ceiling) in new[] { (1, 1.0), (2, 2.0), (3, 4.0), (4, 4.0) })
        {
            Assert.Equal(1, (await host.Delivery.RunOnceAsync()).Retrying);
            var row = Assert.Single(await host.Outbox.ListAsync(budget));
            Assert.Equal(attempt, row.Attempts);
            Assert.Equal(host.Time.GetUtcNow(), row.LastAttemptAt);
            var delay = row.NextAttemptAt!.Value - row.LastAttemptAt!.Value;
            Assert.InRange(delay, TimeSpan.FromSeconds(ceiling / 2), TimeSpan.FromSeconds(ceiling));

            // Not due a millisecond early (the table keeps milliseconds); due exactly when the delay has passed.
            host.Time.Advance(delay - TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, (await host.Delivery.RunOnceAsync()).Due);
            host.Time.Advance(TimeSpan.FromMilliseconds(1));
        }
        Assert.Equal(1, (await host.Delivery.RunOnceAsync()).Failed);
        Assert.Equal(5, receiver.Requests.Count);
    }

    [Fact]
    public void Backoff_doubles_per_attempt_and_stops_at_the_cap_before_jitter()
    {
        var policy = new ResilienceOptions().AlertDelivery;
        // The defaults: 30 s, 60 s, 120 s, ... capped at 30 min (reached at the 7th attempt: 30 × 64 s > 1800 s), 8 attempts.
        Assert.Equal((8, 0.5), (policy.MaxAttempts, policy.Jitter));
        foreach (var (attempt, seconds) in new[] { (1, 30), (2, 60), (3, 120), (4, 240), (5, 480), (6, 960), (7, 1800), (8, 1800), (40, 1800) })
        {
            for (var draw = 0; draw < 50; draw++)
            {
                Assert.InRange(policy.Delay(attempt), TimeSpan.FromSeconds(seconds / 2.0), TimeSpan.FromSeconds(seconds));
            }
        }
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_fails_the_alert()
    {
        await using var receiver = new WebhookReceiver(_ => 302);
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var budget = await QueueOneAlertAsync(host, receiver);

        await host.Delivery.RunOnceAsync();

        var row = Assert.Single(await host.Outbox.ListAsync(budget));
        Assert.Equal((AlertStatuses.Failed, 302), (row.Status, row.LastStatusCode));
        Assert.Equal(["/hook"], receiver.Requests.Select(r => r.Path)); // nothing at /redirected
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task In_production_the_connection_refuses_a_host_that_resolves_to_a_private_address(string host)
    {
        // The save-time URL check is bypassed here on purpose: this is the check a DNS answer that changed after saving meets.
        await using var receiver = new WebhookReceiver();
        using var production = new HttpWebhookSender(Options.Create(new WebhookOptions { Mode = "Production" }), new FakeTimeProvider());
        using var local = new HttpWebhookSender(Options.Create(new WebhookOptions { Mode = "Local" }), new FakeTimeProvider());
        var url = new Uri($"http://{host}:{receiver.Port}/hook");

        var refused = await production.SendAsync(url, "{}"u8.ToArray(), new Dictionary<string, string>());

        Assert.False(refused.Success);
        Assert.True(refused.Permanent);
        Assert.Null(refused.StatusCode);
        Assert.Contains("resolves only to private, loopback or link-local addresses", refused.Error);
        Assert.Empty(receiver.Requests);
        // The control: the same request in local mode reaches the receiver.
        var allowed = await local.SendAsync(new Uri(receiver.Url()), "{}"u8.ToArray(), new Dictionary<string, string>());
        Assert.True(allowed.Success);
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData("[::ffff:10.255.255.1]")]
    [InlineData("[64:ff9b::a9fe:a9fe]")]
    [InlineData("169.254.169.254")]
    public async Task With_loopback_allowed_the_connection_still_refuses_every_other_private_address(string host)
    {
        using var sender = new HttpWebhookSender(Options.Create(new WebhookOptions { AllowLoopback = true }), new FakeTimeProvider());

        var refused = await sender.SendAsync(new Uri($"http://{host}:9/hook"), "{}"u8.ToArray(), new Dictionary<string, string>());

        Assert.False(refused.Success);
        Assert.True(refused.Permanent);
        Assert.Contains("resolves only to private, loopback or link-local addresses", refused.Error);
    }
}
