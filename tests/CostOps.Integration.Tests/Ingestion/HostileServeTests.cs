using System.Net;
using System.Text;
using System.Text.Json;
using CostOps.Infrastructure.Hosting;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>The hostile HTTP inputs against the real <c>costops serve</c> over loopback, on real chDB and Azurite.</summary>
public sealed class HostileServeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static string Event(string id, DateTimeOffset timestamp, string tenant = "clock") =>
        $$"""{"event_id":"{{id}}","timestamp":"{{timestamp:O}}","tenant":"{{tenant}}","model":"gpt-4o","provider":"openai","input_tokens":1000,"output_tokens":100}""";

    private static async Task<long> RequestsAsync(ServeProcess serve, string tenant)
    {
        var spend = await serve.Http.GetStringAsync($"/api/spend?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&group_by=tenant&tenant={tenant}");
        return JsonDocument.Parse(spend).RootElement.EnumerateArray().Sum(r => r.GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task A_batch_spread_over_150_months_lands_whole_inserted_by_partition_groups()
    {
        // A window wide enough to take 2012 onwards: the partition split, not the window, is under test.
        var cli = new CliProcess { Now = Now, Settings = new Dictionary<string, string> { ["Ingestion__MaxEventAgeDays"] = "7300" } };
        await using var serve = await ServeProcess.StartAsync(cli);
        var broken = Enumerable.Range(0, 150).Select(m => Event($"clock-{m}", new DateTimeOffset(2012, 1, 15, 10, 0, 0, TimeSpan.Zero).AddMonths(m)));
        var good = new[] { Event("good-1", Now.AddHours(-2)), Event("good-2", Now.AddHours(-1)) };
        var body = Encoding.UTF8.GetBytes(string.Join('\n', good.Take(1).Concat(broken).Concat(good.Skip(1))));

        using var response = await serve.PostAsync("/api/usage", body, "application/x-ndjson");

        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        Assert.Equal(152, JsonDocument.Parse(json).RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(152, await RequestsAsync(serve, "clock"));
    }

    [Fact]
    public async Task A_body_sent_chunked_without_a_length_is_read_whole_and_over_the_limit_gets_413()
    {
        var cli = new CliProcess { Now = Now, Settings = new Dictionary<string, string> { ["Ingestion__MaxBodyBytes"] = "4096" } };
        await using var serve = await ServeProcess.StartAsync(cli);
        async Task<HttpResponseMessage> PostChunkedAsync(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/usage") { Content = new StringContent(body, Encoding.UTF8, "application/x-ndjson") };
            request.Headers.TransferEncodingChunked = true;
            return await serve.Http.SendAsync(request);
        }

        using var small = await PostChunkedAsync(string.Join('\n', Enumerable.Range(0, 3).Select(i => Event($"chunked-{i}", Now.AddHours(-1), "chunked"))));
        Assert.Null(small.RequestMessage!.Content!.Headers.ContentLength);
        var json = await small.Content.ReadAsStringAsync();
        Assert.True(small.StatusCode == HttpStatusCode.OK, json);
        Assert.Equal(3, JsonDocument.Parse(json).RootElement.GetProperty("accepted").GetInt32());

        using var large = await PostChunkedAsync(string.Join('\n', Enumerable.Range(0, 40).Select(i => Event($"chunked-big-{i}", Now.AddHours(-1), "chunked"))));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(3, await RequestsAsync(serve, "chunked"));
    }

    [Fact]
    public async Task A_4_MB_body_of_two_million_numbers_gets_413_and_the_server_stays_small()
    {
        var cli = new CliProcess { Now = Now };
        await using var serve = await ServeProcess.StartAsync(cli);
        var body = Encoding.ASCII.GetBytes("[" + string.Join(',', Enumerable.Repeat("1", 2_000_000)) + "]");
        using (var warm = await serve.PostAsync("/api/usage", Encoding.UTF8.GetBytes(Event("warm-1", Now.AddHours(-1))))) Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        var before = serve.ResidentBytes();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await serve.PostAsync("/api/usage", body);
        var elapsed = clock.Elapsed;
        var after = serve.ResidentBytes();

        output.WriteLine($"4 MB of numbers: {(int)response.StatusCode} in {elapsed.TotalMilliseconds:N0} ms, RSS {before >> 20} -> {after >> 20} MB");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Contains("10000 events", problem.GetProperty("detail").GetString());
        Assert.Equal(ApiProblem.TooManyEvents.Type, problem.GetProperty("type").GetString());
        // The time is printed, not asserted (speed is for benchmarks, not tests: a loaded machine took 1.7 s once).
        Assert.True(after - before < 100L << 20, $"the server grew by {(after - before) >> 20} MB");
    }

    /// <summary>Malformed input on every route: a 4xx with an RFC 9457 problem body, never a 500.</summary>
    [Fact]
    public async Task Every_route_answers_malformed_input_with_a_4xx_problem_body()
    {
        var cli = new CliProcess { Now = Now };
        await using var serve = await ServeProcess.StartAsync(cli);
        (HttpMethod Method, string Path, string? Body)[] cases =
        [
            (HttpMethod.Post, "/api/usage", "not json"),
            (HttpMethod.Post, "/api/usage", "[1,2,3]"),
            (HttpMethod.Post, "/api/usage", ""),
            (HttpMethod.Get, "/api/spend?from=yesterday&to=2026-11-28T00:00:00Z", null),
            (HttpMethod.Get, "/api/spend?from=2026-11-01T00:00:00Z&to=2026-11-28T00:00:00Z&group_by=colour", null),
            (HttpMethod.Post, "/api/estimate", "{\"model\":5,\"prompt\":\"hi\"}"),
            (HttpMethod.Post, "/api/estimate", "{\"model\":\"gpt-4o\",\"prompt\":[\"hi\"]}"),
            (HttpMethod.Post, "/api/estimate", "{\"model\":\"gpt-4o\",\"prompt\":\"hi\",\"expected_output_tokens\":\"many\"}"),
            (HttpMethod.Post, "/api/estimate", "{\"model\":\"gpt-4o\",\"prompt\":\"hi\",\"batch\":\"yes\"}"),
            (HttpMethod.Post, "/api/estimate", "[]"),
            (HttpMethod.Post, "/api/estimate", "{"),
            (HttpMethod.Post, "/api/budgets", "{"),
            (HttpMethod.Post, "/api/budgets", "[]"),
            (HttpMethod.Post, "/api/budgets", "{\"id\":5,\"scope\":{\"tenant\":7},\"period\":[],\"limit_usd\":\"lots\"}"),
            (HttpMethod.Post, "/api/budgets", "{\"id\":\"b\",\"scope\":{\"tenant\":\"t\"},\"period\":{\"kind\":5},\"limit_usd\":{}, \"thresholds\":\"x\"}"),
            (HttpMethod.Post, "/api/budgets", "{\"id\":\"b\",\"scope\":{\"tenant\":\"t\"},\"period\":\"month\",\"limit_usd\":1e400,\"channels\":[5]}"),
            (HttpMethod.Put, "/api/budgets/b1", "{\"id\":\"b1\",\"scope\":[],\"limit_usd\":true}"),
            (HttpMethod.Put, "/api/budgets/b1", "\"just a string\""),
            (HttpMethod.Get, "/api/budgets/nope", null),
            (HttpMethod.Get, "/api/budgets/nope/status", null),
            (HttpMethod.Delete, "/api/budgets/nope", null),
            (HttpMethod.Post, "/api/recommendations/acme/r1/accept", "{\"note\":5}"),
            (HttpMethod.Post, "/api/recommendations/acme/r1/accept", "[\"note\"]"),
            (HttpMethod.Post, "/api/recommendations/acme/r1/accept", "{"),
            (HttpMethod.Post, "/api/recommendations/acme/r1/explode", "{}"),
            (HttpMethod.Get, "/api/alerts?status=sideways", null),
        ];
        var failures = new List<string>();
        foreach (var (method, path, body) in cases)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await serve.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            int status = (int)response.StatusCode;
            bool problem;
            try
            {
                var json = JsonDocument.Parse(text).RootElement;
                // One of the declared kinds, with its own status and title: clients branch on the type.
                var kind = ApiProblem.All.SingleOrDefault(p => p.Type == json.GetProperty("type").GetString());
                problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" && kind is not null
                    && json.GetProperty("status").GetInt32() == status && kind.Status == status
                    && json.GetProperty("title").GetString() == kind.Title && json.TryGetProperty("detail", out _);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                problem = false;
            }
            if (status is < 400 or >= 500 || !problem) failures.Add($"{method} {path} {body}: {status} {text}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
