using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Admission;

/// <summary>
/// The promise, over real loopback HTTP to the real <c>costops serve</c> on real Azurite and chDB: a $1.00
/// blocking daily budget, 64 concurrent callers each asking admission for gpt-4o calls of 1,000 input and at most 500
/// output tokens ($0.0025 + $0.0050 = $0.0075 at $2.50 / $10.00 per million) and settling each admitted call with a
/// usage event of the full 500 output tokens. $1.00 / $0.0075 = 133.33, so exactly 133 calls fit, the rest are refused,
/// and spend ends at 133 x $0.0075 = $0.9975, whichever instance answered which caller; on either ledger (the admission
/// table, or a real redis-server through <c>Admission__Redis</c>).
/// </summary>
public sealed class AdmissionExactnessTests
{
    public static TheoryData<string> Ledgers => ["tables", "redis"];

    /// <summary>A CLI process on the ledger named (Redis: this run's redis-server).</summary>
    private static async Task<CliProcess> OnLedgerAsync(string ledger) => ledger == "tables"
        ? new CliProcess()
        : new CliProcess { Settings = new Dictionary<string, string> { ["Admission__Redis"] = (await TestEnvironment.RedisAsync()).Configuration } };

    private const int Callers = 64;
    private const int AttemptsPerCaller = 3;
    private const decimal CallCost = 0.0075m;

    [Theory]
    [MemberData(nameof(Ledgers))]
    public async Task A_blocking_budget_admits_exactly_what_fits_under_64_concurrent_callers(string ledger)
    {
        var clickHousePort = TestEnvironment.FreePort();
        await using var serve = await ServeProcess.StartAsync(await OnLedgerAsync(ledger), "--clickhouse-http", $"127.0.0.1:{clickHousePort}");
        await RunAsync([serve], "adm1");
        // Health checks the ledger's Redis only when admission uses one.
        var checks = JsonNode.Parse(await serve.Http.GetStringAsync("/api/health"))!["checks"]!.AsObject();
        Assert.Equal(ledger == "redis", checks.ContainsKey("redis"));
        if (ledger == "redis") Assert.Equal("ok", (string?)checks["redis"]!["status"]);

        // Every refusal is on record (the report's burn-down markers): 64 x 3 - 133 = 59 calls of $0.0075 asked.
        using var clickHouse = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{clickHousePort}/") };
        Assert.Equal("59\t0.4425\tadm1-daily\n", await clickHouse.GetStringAsync(
            "?query=" + Uri.EscapeDataString("SELECT count(), toString(sum(requested_usd)), any(budget_id) FROM admission_refusals FINAL WHERE tenant = 'adm1' FORMAT TSV")));

        // A reservation not settled yet counts in the budget's status until it settles or expires.
        Assert.Equal(HttpStatusCode.Created, (await serve.PostAsync("/api/budgets", Encoding.UTF8.GetBytes(
            """{"id":"adm1-open","scope":{"tenant":"adm1-open"},"period":"daily","limitUsd":1.00,"action":"block"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await serve.PostAsync("/api/admission", Encoding.UTF8.GetBytes(
            """{"request_id":"open-1","tenant":"adm1-open","model":"gpt-4o","input_tokens":1000,"max_output_tokens":500}"""))).StatusCode);
        var status = JsonNode.Parse(await serve.Http.GetStringAsync("/api/budgets/adm1-open/status"))!;
        Assert.Equal(0.0075m, decimal.Parse(status["reserved_usd"]!.ToJsonString(), CultureInfo.InvariantCulture));
        Assert.Equal(0.9925m, decimal.Parse(status["remaining_usd"]!.ToJsonString(), CultureInfo.InvariantCulture));
        Assert.Equal(0m, decimal.Parse(status["spend_usd"]!.ToJsonString(), CultureInfo.InvariantCulture));

        // A reroute budget of $0.02 (warning at 50 %): the first $0.0075 call fits under $0.01 and is allowed; the second
        // would pass it and is answered with gpt-4o-mini, reserved at its price (1,000 x $0.15 + 500 x $0.60 per million).
        Assert.Equal(HttpStatusCode.Created, (await serve.PostAsync("/api/budgets", Encoding.UTF8.GetBytes(
            """{"id":"adm1-reroute","scope":{"tenant":"adm1-reroute"},"period":"daily","limitUsd":0.02,"action":"reroute","rerouteModel":"gpt-4o-mini"}"""))).StatusCode);
        var decisions = new List<JsonNode>();
        foreach (var id in new[] { "rr-1", "rr-2" })
        {
            var answer = await serve.PostAsync("/api/admission", Encoding.UTF8.GetBytes(
                $$"""{"request_id":"{{id}}","tenant":"adm1-reroute","provider":"openai","model":"gpt-4o","input_tokens":1000,"max_output_tokens":500}"""));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            decisions.Add(JsonNode.Parse(await answer.Content.ReadAsStringAsync())!);
        }
        Assert.Equal(("allow", "gpt-4o"), ((string?)decisions[0]["decision"], (string?)decisions[0]["model"]));
        Assert.Equal(("reroute", "gpt-4o-mini"), ((string?)decisions[1]["decision"], (string?)decisions[1]["model"]));
        Assert.Equal(0.00045m, decimal.Parse(decisions[1]["reserved_usd"]!.ToJsonString(), CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(Ledgers))]
    public async Task Two_serve_processes_sharing_the_stores_admit_exactly_what_fits(string ledger)
    {
        var first = await OnLedgerAsync(ledger);
        await using var a = await ServeProcess.StartAsync(first);
        await using var b = await ServeProcess.StartAsync(CliProcess.SharingTablesWith(first));
        await RunAsync([a, b], "adm2");
    }

    [Fact]
    public async Task An_unreachable_Redis_ledger_answers_503_and_usage_is_still_stored()
    {
        // Nothing listens on this port: every Redis call fails fast while the client keeps trying to connect.
        var cli = new CliProcess { Settings = new Dictionary<string, string> { ["Admission__Redis"] = $"127.0.0.1:{TestEnvironment.FreePort()},connectTimeout=500" } };
        await using var serve = await ServeProcess.StartAsync(cli);
        Assert.Equal(HttpStatusCode.Created, (await serve.PostAsync("/api/budgets", Encoding.UTF8.GetBytes(
            """{"id":"adm3-daily","scope":{"tenant":"adm3"},"period":"daily","limitUsd":1.00,"action":"block"}"""))).StatusCode);
        var answer = await serve.PostAsync("/api/admission", Encoding.UTF8.GetBytes(
            """{"request_id":"down-1","tenant":"adm3","model":"gpt-4o","input_tokens":1000,"max_output_tokens":500}"""));
        var problem = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Contains("reservation store (Redis) did not answer", (string?)problem["detail"]);
        // Settlement fails with the ledger, ingestion does not: the event is stored and counted as spend.
        var usage = await serve.PostAsync("/api/usage", Encoding.UTF8.GetBytes(
            $$"""{"event_id":"down-1","timestamp":"{{CliProcess.DefaultNow:yyyy-MM-ddTHH:mm:ssZ}}","tenant":"adm3","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":500}"""));
        Assert.Equal(HttpStatusCode.OK, usage.StatusCode);
        var rows = JsonNode.Parse(await serve.Http.GetStringAsync("/api/spend?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&group_by=tenant&tenant=adm3"))!.AsArray();
        Assert.Equal(0.0075m, rows.Sum(r => decimal.Parse(r!["cost_usd"]!.ToString(), CultureInfo.InvariantCulture)));
        // The health check names the ledger's Redis as the dependency that is down.
        var health = await serve.Http.GetAsync("/api/health");
        var checks = JsonNode.Parse(await health.Content.ReadAsStringAsync())!["checks"]!;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(("unavailable", "ok"), ((string?)checks["redis"]!["status"], (string?)checks["tables"]!["status"]));
    }

    private static async Task<HttpResponseMessage> Timed(ServeProcess serve, string what, Func<Task<HttpResponseMessage>> call)
    {
        try
        {
            return await call();
        }
        catch (TaskCanceledException e)
        {
            throw new Xunit.Sdk.XunitException($"{what} on serve {serve.ProcessId} at {DateTime.UtcNow:HH:mm:ss.fff}: {e.Message}");
        }
    }

    private static async Task RunAsync(ServeProcess[] instances, string tenant)
    {
        var created = await instances[0].PostAsync("/api/budgets", Encoding.UTF8.GetBytes(
            $$"""{"id":"{{tenant}}-daily","scope":{"tenant":"{{tenant}}"},"period":"daily","limitUsd":1.00,"action":"block"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var admitted = new ConcurrentBag<decimal>();
        var denied = new ConcurrentBag<HttpResponseMessage>();
        var deniedBodies = new ConcurrentBag<JsonNode>();
        using var start = new SemaphoreSlim(0, Callers);
        var callers = Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            var serve = instances[caller % instances.Length];
            await start.WaitAsync();
            for (var attempt = 0; attempt < AttemptsPerCaller; attempt++)
            {
                var requestId = $"{tenant}-{caller}-{attempt}";
                var response = await Timed(serve, $"admission {requestId}", () => serve.PostAsync("/api/admission", Encoding.UTF8.GetBytes(
                    $$"""{"request_id":"{{requestId}}","tenant":"{{tenant}}","provider":"openai","model":"gpt-4o","input_tokens":1000,"max_output_tokens":500}""")));
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                if (response.StatusCode == (HttpStatusCode)429)
                {
                    denied.Add(response);
                    deniedBodies.Add(body);
                    continue;
                }
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
                Assert.Equal("allow", (string?)body["decision"]);
                var reserved = decimal.Parse(body["reserved_usd"]!.ToJsonString(), CultureInfo.InvariantCulture);
                admitted.Add(reserved);
                // The call is made and uses all 500 output tokens: its usage event settles the reservation.
                var usage = await Timed(serve, $"usage {requestId}", () => serve.PostAsync("/api/usage", Encoding.UTF8.GetBytes(
                    $$"""{"event_id":"{{requestId}}","timestamp":"{{CliProcess.DefaultNow:yyyy-MM-ddTHH:mm:ssZ}}","tenant":"{{tenant}}","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":500}""")));
                Assert.Equal(HttpStatusCode.OK, usage.StatusCode);
            }
        })).ToList();
        start.Release(Callers);
        await Task.WhenAll(callers);

        Assert.Equal(133, admitted.Count);
        Assert.All(admitted, r => Assert.Equal(CallCost, r));
        Assert.Equal(Callers * AttemptsPerCaller - 133, denied.Count);
        foreach (var response in denied)
        {
            // The refusal says when to come back (the next local midnight of the budget's zone, UTC here) and what is left.
            var retryAfter = response.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("429 without Retry-After");
            Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromHours(12));
            Assert.Equal("0.0025", response.Headers.GetValues("x-costops-remaining-usd").Single());
        }
        Assert.All(deniedBodies, b =>
        {
            Assert.Equal("deny", (string?)b["decision"]);
            Assert.Equal($"{tenant}-daily", (string?)b["budget_id"]);
            Assert.Equal("2026-12-02T00:00:00+00:00", (string?)b["resets_at"]);
        });

        var spend = 0m;
        foreach (var serve in instances)
        {
            var rows = JsonNode.Parse(await serve.Http.GetStringAsync($"/api/spend?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&group_by=tenant&tenant={tenant}"))!.AsArray();
            spend += rows.Sum(r => decimal.Parse(r!["cost_usd"]!.ToString(), CultureInfo.InvariantCulture));
        }
        Assert.Equal(0.9975m, spend);
    }
}
