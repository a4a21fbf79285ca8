using System.Text.Json;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.Recommendations;
using CostOps.Infrastructure.Webhooks;
using CostOps.Integration.Tests.Budgets;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Recommendations;

/// <summary>
/// Accept and dismiss with If-Match, the routing policy they shape and the digest, on real ClickHouse, real Azure tables
/// (Azurite) and a real loopback receiver. The traffic is the short gpt-4o mix of <see cref="RecommendationScenarioTests"/>:
/// two substitutes, gpt-4.1-nano (saves 0.432 at confidence 0.70: weighted 0.3024) and gpt-5-chat-latest (0.125 at 0.90: 0.1125).
/// </summary>
public sealed class RecommendationDecisionTests(IngestionFixture fixture, AzuriteFixture azurite)
    : IClassFixture<IngestionFixture>, IClassFixture<AzuriteFixture>
{
    private async Task IngestShortGpt4oAsync(string tenant) =>
        Assert.Equal(0, (await fixture.Handler.HandleAsync(
            [new Traffic(IngestionFixture.Now).Add(200, tenant, "chat", "assistant", "openai", "gpt-4o", 500, 100).Bytes()], "test", CancellationToken.None)).Rejected);

    private static string IdOf(RecommendationRun run, string suggested) => Assert.Single(run.Recommendations, r => r.SuggestedModel == suggested).Id;

    private static IReadOnlyList<string> Routes(ApiResultJson policy) =>
        policy.Root.GetProperty("routes").EnumerateArray()
            .Select(r => $"{r.GetProperty("from_model").GetString()}->{r.GetProperty("to_model").GetString()}:{r.GetProperty("state").GetString()}").ToList();

    private sealed record ApiResultJson(int Status, JsonElement Root, string? ETag);

    private static ApiResultJson Parse(CostOps.Infrastructure.Hosting.ApiResult result) =>
        new(result.Status, JsonDocument.Parse(result.Json!).RootElement.Clone(), result.ETag);

    [Fact]
    public async Task Accepting_and_dismissing_shape_the_routing_policy_and_a_stale_If_Match_is_refused()
    {
        await IngestShortGpt4oAsync("t-route");
        var service = RecommendationTestHost.Create(fixture, azurite.Tables);
        var run = await service.RunAsync(30, "t-route");
        var nano = IdOf(run, "gpt-4.1-nano");
        var chat = IdOf(run, "gpt-5-chat-latest");
        var api = new RecommendationApi(service);
        async Task<IReadOnlyList<string>> RoutesNow() => Routes(Parse(await api.RoutingAsync("t-route", "chat")));

        // Nobody decided: the larger confidence-weighted saving is proposed.
        Assert.Equal(["gpt-4o->gpt-4.1-nano:recommended"], await RoutesNow());

        // An accepted route wins over a larger saving.
        var accepted = Parse(await api.DecideAsync("t-route", chat, "accept", """{"note": "passed our evals"}""", null));
        Assert.Equal(200, accepted.Status);
        Assert.Equal(("accepted", "passed our evals"), (accepted.Root.GetProperty("state").GetString(), accepted.Root.GetProperty("note").GetString()));
        Assert.Equal(["gpt-4o->gpt-5-chat-latest:accepted"], await RoutesNow());

        // Dismissed with the version just read: the route falls back to the proposal.
        var dismissed = Parse(await api.DecideAsync("t-route", chat, "dismiss", null, accepted.ETag));
        Assert.Equal(200, dismissed.Status);
        Assert.NotEqual(accepted.ETag, dismissed.ETag);
        Assert.Equal(["gpt-4o->gpt-4.1-nano:recommended"], await RoutesNow());

        // A writer still holding the accepted version loses: state stays dismissed.
        var stale = Parse(await api.DecideAsync("t-route", chat, "accept", null, accepted.ETag));
        Assert.Equal(412, stale.Status);
        var listed = Parse(await api.ListAsync("t-route", "chat")).Root.EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("state").GetString());
        Assert.Equal("dismissed", listed[chat]);
        Assert.Equal("open", listed[nano]);

        // Both dismissed: nothing to route.
        Assert.Equal(200, (await api.DecideAsync("t-route", nano, "dismiss", null, null)).Status);
        Assert.Empty(await RoutesNow());

        Assert.Equal(400, (await api.DecideAsync("t-route", nano, "approve", null, null)).Status);
        Assert.Equal(400, (await api.DecideAsync("t-route", nano, "accept", "{not json", null)).Status);
        Assert.Equal(404, (await api.DecideAsync("t-route", "no-such-id", "accept", null, null)).Status);
    }

    [Fact]
    public async Task The_digest_sends_new_worthy_recommendations_once_signed_and_skips_dismissed_ones()
    {
        await using var receiver = new WebhookReceiver();
        var time = new FakeTimeProvider(IngestionFixture.Now);
        await using var host = RecommendationTestHost.Host(fixture, azurite.Tables, new()
        {
            ["Recommendations:DigestMinimumSavingsUsd"] = "0.2", // nano (0.432) is worth it, gpt-5-chat-latest (0.125) is not
            ["Webhooks:Mode"] = "Local",
        }, time);
        var service = host.Get<RecommendationService>();
        var budgets = host.Get<IBudgetStore>();
        var digest = host.Get<RecommendationDigest>();
        await IngestShortGpt4oAsync("t-digest");
        await budgets.AddAsync(BudgetTestHost.Monthly("digest-budget", "t-digest", 1_000m, receiver.Url()));

        var first = await service.RunAsync(30, "t-digest");
        Assert.Equal(1, await digest.SendAsync(first));
        time.Advance(TimeSpan.FromMinutes(1));
        var second = await service.RunAsync(30, "t-digest");
        Assert.Equal(0, await digest.SendAsync(second)); // the same recommendations: nothing new

        var request = Assert.Single(receiver.Requests);
        Assert.Equal($"{first.RunId}-t-digest", request.Headers["Idempotency-Key"]);
        Assert.True(WebhookSignature.Verify("test-secret-0123456789", request.Headers["X-CostOps-Signature"], request.RawBody, time.GetUtcNow(), TimeSpan.FromMinutes(5)));
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("recommendations.digest", body.GetProperty("type").GetString());
        Assert.Equal([IdOf(first, "gpt-4.1-nano")], body.GetProperty("recommendations").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(0.432m, decimal.Parse(body.GetProperty("estimated_savings_usd").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        // Another tenant whose worthy recommendation was dismissed before its first digest: nothing is sent.
        await IngestShortGpt4oAsync("t-digest-dismissed");
        await budgets.AddAsync(BudgetTestHost.Monthly("digest-dismissed", "t-digest-dismissed", 1_000m, receiver.Url("other")));
        var preview = await service.RunAsync(30, "t-digest-dismissed", persist: false);
        await new RecommendationStateStore(azurite.Tables).SetAsync("t-digest-dismissed", IdOf(preview, "gpt-4.1-nano"), RecommendationDecision.Dismissed, "", time.GetUtcNow(), null);
        Assert.Equal(0, await digest.SendAsync(await service.RunAsync(30, "t-digest-dismissed")));
        Assert.Single(receiver.Requests);
    }
}
