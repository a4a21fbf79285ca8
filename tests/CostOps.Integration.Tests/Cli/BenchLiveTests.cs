using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Cli;

/// <summary>
/// <c>costops bench live</c> through the real CLI process on a short run, in both acknowledgement modes: every answered
/// request is stored, once, and counted in both rollups ("exact"), without errors. Speed is the benchmark's to report.
/// </summary>
public sealed class BenchLiveTests
{
    [Theory]
    [InlineData("stored")]
    [InlineData("logged")]
    public async Task A_short_run_stores_exactly_what_it_answered(string acknowledge)
    {
        var result = await new CliProcess().RunAsync("bench", "live", "--connections", "4", "--seconds", "1", "--warmup", "1", "--acknowledge", acknowledge, "--json");
        var json = result.Json();
        Assert.Equal(1, json.GetProperty("warmup_seconds").GetInt32());
        var level = Assert.Single(json.GetProperty("levels").EnumerateArray());
        Assert.True(level.GetProperty("acknowledged").GetInt64() > 0, result.Out);
        Assert.Equal(level.GetProperty("acknowledged").GetInt64(), level.GetProperty("stored_events").GetInt64());
        Assert.Equal(0, level.GetProperty("errors").GetInt64());
        Assert.True(level.GetProperty("exact").GetBoolean(), result.Out);
    }

    [Fact]
    public async Task Stored_ids_are_there_before_the_first_level_and_no_posted_event_is_taken_for_one()
    {
        var result = await new CliProcess().RunAsync("bench", "live", "--connections", "4", "--seconds", "1", "--warmup", "1", "--stored-ids", "20000", "--json");
        var json = result.Json();
        Assert.Equal(20_000, json.GetProperty("stored_ids_before").GetInt64());
        var level = Assert.Single(json.GetProperty("levels").EnumerateArray());
        Assert.True(level.GetProperty("acknowledged").GetInt64() > 0, result.Out);
        Assert.Equal(0, level.GetProperty("errors").GetInt64());
        Assert.True(level.GetProperty("exact").GetBoolean(), result.Out);
    }
}
