using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Cli;

public sealed class CliProcessTests
{
    private readonly CliProcess _cli = new();

    [Fact]
    public async Task Migrate_then_sql_lists_the_schema_and_the_process_exits_zero()
    {
        var first = await _cli.RunAsync("migrate");
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("applied 0001_usage_events", first.Out);

        var second = await _cli.RunAsync("migrate");
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("Schema is up to date", second.Out);
        Assert.DoesNotContain("applied ", second.Out);

        // Regression for chdb.md trap 2: exiting with the connection open crashed (139) or hung.
        var tables = await _cli.RunAsync("sql", "SHOW TABLES", "--format", "TSV");
        Assert.True(tables.ExitCode == 0, tables.Error);
        var listed = tables.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Subset(listed.ToHashSet(), new HashSet<string> { "usage_events", "ingest_rejects", "spend_hourly", "spend_daily", "schema_migrations" });
    }

    [Fact]
    public async Task A_bad_query_exits_one_with_ClickHouse_error_text()
    {
        var before = await _cli.RunAsync("sql", "SELECT 1");
        Assert.Equal(1, before.ExitCode);
        Assert.Contains("run 'costops migrate' first", before.Error);

        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        var result = await _cli.RunAsync("sql", "SELECT no_such_column");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("UNKNOWN_IDENTIFIER", result.Error);
    }

    [Fact]
    public async Task Unknown_options_and_commands_are_usage_errors()
    {
        var badOption = await _cli.RunAsync("sql", "SELECT 1", "--fromat", "TSV");
        Assert.Equal(2, badOption.ExitCode);
        Assert.Contains("--fromat", badOption.Error);

        var badCommand = await _cli.RunAsync("nope");
        Assert.Equal(2, badCommand.ExitCode);
    }
}
