using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>The issue's hostile inputs through the real <c>costops</c> process on real chDB: each bad event is a reject with its code, its neighbours land.</summary>
public sealed class HostileInputCliTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static string Event(string id, string timestamp, string extra = "", string tokens = "\"input_tokens\":1000,\"output_tokens\":100") =>
        $$"""{"event_id":"{{id}}","timestamp":"{{timestamp}}","tenant":"hostile","model":"gpt-4o","provider":"openai",{{tokens}}{{extra}}}""";

    private static async Task<string> WriteAsync(CliProcess cli, string name, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(cli.StateDirectory);
        var path = Path.Combine(cli.StateDirectory, name);
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }

    private static async Task<JsonElement> IngestAsync(CliProcess cli, string path)
    {
        var run = await cli.RunAsync("ingest", path, "--json");
        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        return JsonDocument.Parse(run.Out).RootElement.Clone();
    }

    [Fact]
    public async Task A_lone_surrogate_and_a_duplicated_property_are_rejects_and_the_good_neighbour_lands()
    {
        var cli = new CliProcess { Now = Now };
        var path = await WriteAsync(cli, "hostile.ndjson",
        [
            Event("good-1", "2026-11-28T09:00:00Z"),
            Event("cut-emoji", "2026-11-28T09:00:00Z", ",\"tags\":{\"title\":\"\\ud83d\"}"),
            Event("under-bill", "2026-11-28T09:00:00Z", tokens: "\"input_tokens\":1000000,\"output_tokens\":100,\"input_tokens\":1000"),
        ]);

        var summary = await IngestAsync(cli, path);

        Assert.Equal((1, 2), (summary.GetProperty("accepted").GetInt32(), summary.GetProperty("rejected").GetInt32()));
        var reasons = await cli.RunAsync("sql", "SELECT event_id, reason FROM ingest_rejects ORDER BY event_id", "--format", "TSV");
        Assert.Matches(@"cut-emoji\ttag_value_invalid: ", reasons.Out);
        Assert.Matches(@"under-bill\tduplicate_property: ", reasons.Out);
        Assert.Equal("1\t1000", (await cli.RunAsync("sql", "SELECT count(), sum(input_tokens) FROM usage_events FINAL", "--format", "TSV")).Out.Trim());
    }

    [Fact]
    public async Task A_producer_with_a_broken_clock_gets_its_old_events_refused_by_the_window_and_the_good_ones_land()
    {
        var cli = new CliProcess { Now = Now };
        var broken = Enumerable.Range(0, 150).Select(m => Event($"clock-{m}", new DateTimeOffset(2012, 1, 15, 10, 0, 0, TimeSpan.Zero).AddMonths(m).ToString("O")));
        var path = await WriteAsync(cli, "clock.ndjson", broken.Prepend(Event("good-1", "2026-11-28T09:00:00Z")).Append(Event("good-2", "2026-11-28T10:00:00Z")));

        var summary = await IngestAsync(cli, path);

        // 2012-01 .. 2024-06 all lie before the default window (400 days before 2026-11-28 is 2025-10-24).
        Assert.Equal((2, 150), (summary.GetProperty("accepted").GetInt32(), summary.GetProperty("rejected").GetInt32()));
        var codes = await cli.RunAsync("sql", "SELECT DISTINCT splitByString(':', reason)[1] FROM ingest_rejects", "--format", "TSV");
        Assert.Equal("timestamp_before_window", codes.Out.Trim());
    }

    [Fact]
    public async Task An_id_sent_again_with_another_timestamp_is_a_duplicate_across_processes_and_the_first_stays()
    {
        var cli = new CliProcess { Now = Now };
        var first = await WriteAsync(cli, "first.ndjson", [Event("e1", "2026-11-28T09:00:00Z"), Event("e2", "2026-11-20T09:00:00Z")]);
        // A later request, another process: the producer re-stamped its retry (and a second copy lands months away).
        var second = await WriteAsync(cli, "second.ndjson", [Event("e1", "2026-11-28T11:00:00Z"), Event("e2", "2026-02-01T00:00:00Z"), Event("e3", "2026-11-28T11:00:00Z")]);

        var a = await IngestAsync(cli, first);
        var b = await IngestAsync(new CliProcess(cli) { Now = Now }, second);

        Assert.Equal((2, 0), (a.GetProperty("accepted").GetInt32(), a.GetProperty("duplicates").GetInt32()));
        Assert.Equal((1, 2), (b.GetProperty("accepted").GetInt32(), b.GetProperty("duplicates").GetInt32()));
        var stored = await cli.RunAsync("sql", "SELECT event_id, timestamp FROM usage_events FINAL ORDER BY event_id", "--format", "TSV");
        Assert.Equal("e1\t2026-11-28 09:00:00.000\ne2\t2026-11-20 09:00:00.000\ne3\t2026-11-28 11:00:00.000", stored.Out.Trim());
        var spend = await cli.RunAsync("spend", "--group-by", "tenant", "--from", "2000-01-01", "--to", "2100-01-01", "--json");
        Assert.Equal(3, JsonDocument.Parse(spend.Out).RootElement.EnumerateArray().Sum(r => r.GetProperty("requests").GetInt32()));
    }
}
