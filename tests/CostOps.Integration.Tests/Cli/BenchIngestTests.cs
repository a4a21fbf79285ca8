using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Cli;

/// <summary>
/// The bulk benchmarks through the real CLI process, on a short run: they measure what they say (every generated event
/// prepared, or stored), whichever way the stages are scheduled. Speed itself is theirs to report, not asserted.
/// </summary>
public sealed class BenchIngestTests
{
    [Fact]
    public async Task Bench_prepare_prepares_every_event_and_splits_its_time()
    {
        var json = (await new CliProcess().RunAsync("bench", "prepare", "--events", "3000", "--rounds", "2", "--json")).Json();
        Assert.Equal(3000, json.GetProperty("events_prepared").GetInt64());
        Assert.True(json.GetProperty("us_per_event_min").GetDouble() > 0);
        Assert.InRange(json.GetProperty("encode_share_median").GetDouble(), 0.01, 0.99);
        Assert.True(json.GetProperty("allocated_bytes_per_event").GetDouble() > 0);
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("off", false)]
    public async Task Bench_ingest_stores_every_event_with_or_without_overlap(string overlap, bool expected)
    {
        var json = (await new CliProcess().RunAsync("bench", "ingest", "--events", "3000", "--overlap", overlap, "--json")).Json();
        Assert.Equal(expected, json.GetProperty("overlap").GetBoolean());
        Assert.Equal(3000, json.GetProperty("accepted").GetInt64());
        Assert.Equal(3000, json.GetProperty("rows_stored").GetInt64());
    }

    [Fact]
    public async Task Bench_ingest_refuses_an_unknown_overlap()
    {
        var result = await new CliProcess().RunAsync("bench", "ingest", "--events", "10", "--overlap", "sometimes");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--overlap", result.Error, StringComparison.Ordinal);
    }
}
