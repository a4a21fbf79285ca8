using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using CostOps.Infrastructure.Hosting;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>
/// Group commit over the real <c>costops serve</c> on loopback: 64 clients post single events at once, each retrying some
/// of its requests (after an answer, as a producer that lost it does; at the same moment as the original; and after
/// each 503), with a queue small enough that the server refuses some requests as busy. Every event must be accepted
/// exactly once across all its attempts, and the stored totals must be exactly the events sent.
/// </summary>
public sealed class GroupCommitServeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private const int Clients = 64;
    private const int EventsPerClient = 24;

    private static byte[] Event(int client, int n) => Encoding.UTF8.GetBytes(
        $$"""{"event_id":"gc-{{client}}-{{n}}","timestamp":"{{Now.AddMinutes(-30 - n):O}}","tenant":"gc-t{{client % 4}}","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}""");

    [Fact]
    public async Task Sixty_four_clients_retrying_some_requests_store_every_event_exactly_once()
    {
        // 32 queued events at most: 64 clients fill the queue while a write runs, so some requests are refused as busy.
        var cli = new CliProcess { Now = Now, Settings = new Dictionary<string, string> { ["Ingestion__MaxQueuedEvents"] = "32" } };
        await using var serve = await ServeProcess.StartAsync(cli);
        var statuses = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        var busy = 0;
        var badBusyAnswers = new ConcurrentBag<string>();

        // Posts until the server takes the request (200), retrying each 503; returns the event's status in that answer.
        async Task PostUntilTakenAsync(int client, int n)
        {
            while (true)
            {
                using var response = await serve.PostAsync("/api/usage", Event(client, n));
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref busy);
                    var type = JsonDocument.Parse(body).RootElement.GetProperty("type").GetString();
                    if (type != ApiProblem.IngestionBusy.Type || response.Headers.RetryAfter?.Delta is null) badBusyAnswers.Add(body);
                    await Task.Delay(Random.Shared.Next(1, 20));
                    continue;
                }
                Assert.True(response.StatusCode == HttpStatusCode.OK, body);
                var result = JsonDocument.Parse(body).RootElement.GetProperty("results")[0];
                statuses.GetOrAdd(result.GetProperty("event_id").GetString()!, _ => []).Add(result.GetProperty("status").GetString()!);
                return;
            }
        }

        var resentAfterAnswer = 0;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var n = 0; n < EventsPerClient; n++)
            {
                if ((client + n) % 7 == 0)
                {
                    // The retry races the original: they may land in one commit, or in two.
                    await Task.WhenAll(PostUntilTakenAsync(client, n), PostUntilTakenAsync(client, n));
                }
                else
                {
                    await PostUntilTakenAsync(client, n);
                    // The answer "was lost": the producer sends the same event again.
                    if ((client + n) % 5 == 0)
                    {
                        await PostUntilTakenAsync(client, n);
                        Interlocked.Increment(ref resentAfterAnswer);
                    }
                }
            }
        })));

        output.WriteLine($"{Clients * EventsPerClient} events, {resentAfterAnswer} resent after their answer, {busy} answers 503 ingestion-busy (retried)");
        Assert.Empty(badBusyAnswers);
        Assert.Equal(Clients * EventsPerClient, statuses.Count);
        // Exactly one attempt of each event was accepted; every other one was told it is a duplicate.
        Assert.All(statuses, s => Assert.Equal(1, s.Value.Count(v => v == "accepted")));
        Assert.All(statuses, s => Assert.All(s.Value, v => Assert.Contains(v, new[] { "accepted", "duplicate" })));

        var spend = JsonDocument.Parse(await serve.Http.GetStringAsync("/api/spend?from=2026-11-27T00:00:00Z&to=2026-11-29T00:00:00Z&group_by=tenant")).RootElement;
        Assert.Equal(Clients * EventsPerClient, spend.EnumerateArray().Sum(r => r.GetProperty("requests").GetInt64()));
        // gpt-4o: 1,000 x $2.50/M + 100 x $10/M = $0.0035 per event, each counted once.
        Assert.Equal(Clients * EventsPerClient * 0.0035m,
            spend.EnumerateArray().Sum(r => decimal.Parse(r.GetProperty("cost_usd").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(4, spend.EnumerateArray().Select(r => r.GetProperty("tenant").GetString()).Distinct().Count());
    }
}
