using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>
/// <c>Ingestion:Acknowledge=Logged</c> on the real <c>costops serve</c>: many clients, some retrying, are answered 202
/// from the log; the server is killed (SIGKILL) before it commits anything; started again on the same state, it
/// commits every answered event exactly once.
/// </summary>
public sealed class LoggedServeTests
{
    private const int Clients = 64;
    private const int EventsPerClient = 8;

    private static byte[] Event(DateTimeOffset now, int client, int n) => Encoding.UTF8.GetBytes(
        $$"""{"event_id":"ls-{{client}}-{{n}}","timestamp":"{{now.AddMinutes(-30 - n):O}}","tenant":"ls-t{{client % 4}}","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}""");

    [Fact]
    public async Task Answered_events_survive_a_kill_before_any_commit_and_are_counted_once_after_the_restart()
    {
        var cli = new CliProcess
        {
            Settings = new Dictionary<string, string>
            {
                ["Ingestion__Acknowledge"] = "Logged",
                // Nothing is committed while the first server lives: everything must come back from the log.
                ["Ingestion__LogCommitIntervalMilliseconds"] = "60000",
            },
        };
        var now = cli.Now!.Value;
        var statuses = new List<HttpStatusCode>();
        await using (var serve = await ServeProcess.StartAsync(cli))
        {
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                for (var n = 0; n < EventsPerClient; n++)
                {
                    // Every third event is sent twice: a producer that lost its answer.
                    for (var attempt = 0; attempt < (n % 3 == 0 ? 2 : 1); attempt++)
                    {
                        using var response = await serve.PostAsync("/api/usage", Event(now, client, n));
                        lock (statuses) statuses.Add(response.StatusCode);
                    }
                }
            })));
            // SIGKILL: no shutdown commit.
        }
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));

        await using var restarted = await ServeProcess.StartAsync(new CliProcess(cli) { Settings = new Dictionary<string, string> { ["Ingestion__Acknowledge"] = "Logged" } });
        var (requests, cost) = (0L, 0m);
        for (var attempt = 0; attempt < 100 && requests < Clients * EventsPerClient; attempt++)
        {
            await Task.Delay(200);
            var spend = JsonDocument.Parse(await restarted.Http.GetStringAsync(
                $"/api/spend?from={now.AddDays(-1):yyyy-MM-dd}&to={now.AddDays(1):yyyy-MM-dd}&group_by=tenant")).RootElement;
            requests = spend.EnumerateArray().Sum(r => r.GetProperty("requests").GetInt64());
            cost = spend.EnumerateArray().Sum(r => decimal.Parse(r.GetProperty("cost_usd").GetString()!, CultureInfo.InvariantCulture));
        }
        Assert.Equal(Clients * EventsPerClient, requests);
        // gpt-4o: $0.0035 per event, each counted once although a third were sent twice.
        Assert.Equal(Clients * EventsPerClient * 0.0035m, cost);
    }
}
