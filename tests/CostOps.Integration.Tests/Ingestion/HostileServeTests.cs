using System.Net;
using System.Text;
using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>The hostile HTTP inputs against the real <c>costops serve</c> over loopback, on real chDB and Azurite.</summary>
public sealed class HostileServeTests
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
}
