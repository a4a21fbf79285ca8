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

    /// <summary>
    /// At the most awkward instant for a monthly view (the month is 20 minutes old) the demo still shows real numbers:
    /// its window is the last 30 days and its rolling budgets have spend and alerts whatever the day of the month.
    /// </summary>
    [Theory]
    [Trait("Category", "Calendar")]
    [InlineData("2027-03-01T00:20:00Z")]
    [InlineData("2027-04-30T23:40:00Z")]
    public async Task The_demo_runs_end_to_end_and_a_rerun_moves_no_total_and_sends_no_alert_twice(string now)
    {
        var cli = new CliProcess { Now = DateTimeOffset.Parse(now) };
        var first = await cli.RunAsync("demo", "--events", "20000", "--tenants", "4");
        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        foreach (var section in new[] { "Spend over the last 30 days by tenant", "Spend over the last 30 days by model", "Budgets (current period", "Alerts and pricing notices (outbox", "Top recommendations", "Rejected events by reason" })
        {
            Assert.Contains(section, first.Out);
        }
        Assert.Matches(@"receiver got [1-9]\d* \(signatures valid: [1-9]", first.Out);
        // The blocking budget at the gateway: $1.00 / $0.0075 = 133.3, so 133 calls fit and spend stops at $0.9975.
        Assert.Contains("133 admitted and made, 67 refused (429); its spend today $0.9975, never above the limit.", first.Out);
        var spend = await cli.RunAsync("spend", "--group-by", "tenant", "--from", "2000-01-01", "--to", "2100-01-01", "--json");

        // What an operator checks afterwards: a budget with spend in its current period, and alerts that arrived.
        var evaluation = await cli.RunAsync("budgets", "evaluate", "--no-deliver", "--json");
        Assert.True(evaluation.ExitCode == 0, evaluation.Error);
        using (var statuses = System.Text.Json.JsonDocument.Parse(evaluation.Out))
        {
            var budgets = statuses.RootElement.GetProperty("budgets").EnumerateArray().ToList();
            Assert.Equal(4, budgets.Count);
            var gateway = Assert.Single(budgets, b => b.GetProperty("budget").GetString() == "gateway-daily-block");
            Assert.Equal(0.9975m, gateway.GetProperty("spend_usd").GetDecimal());
            Assert.Contains(budgets, b => b.GetProperty("spend_usd").GetDecimal() > 0 && b.GetProperty("state").GetString() == "exceeded");
            Assert.All(budgets, b => Assert.True(DateTimeOffset.Parse(b.GetProperty("period").GetProperty("start").GetString()!) <= DateTimeOffset.Parse(now)));
        }
        var alerts = await cli.RunAsync("alerts", "list");
        Assert.True(alerts.ExitCode == 0, alerts.Error);
        Assert.Contains("delivered", alerts.Out);

        var reportPath = Path.Combine(cli.StateDirectory, "report.html");
        var report = await cli.RunAsync("report", "--out", reportPath);
        Assert.True(report.ExitCode == 0, report.Error);
        var html = await File.ReadAllTextAsync(reportPath);
        Assert.True(System.Text.RegularExpressions.Regex.Matches(html, "<svg class=\"chart\"").Count >= 5, "spend, three budget burn-downs and savings");
        Assert.Contains("acme-rolling-7d", html);
        Assert.Contains("gpt-4o", html);
        Assert.Contains("stroke=\"#c00\"", html); // alert markers on a burn-down
        Assert.Contains(">67 refused</text>", html); // and the gateway's refusals on its own
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", ""));

        var second = await cli.RunAsync("demo", "--events", "20000", "--tenants", "4");
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("accepted 0,", second.Out);
        Assert.Contains("this tick enqueued 0 alert(s)", second.Out);
        Assert.Contains("0 admitted and made, 200 refused (429); its spend today $0.9975", second.Out); // the day's budget is spent
        Assert.Equal(spend.Out, (await cli.RunAsync("spend", "--group-by", "tenant", "--from", "2000-01-01", "--to", "2100-01-01", "--json")).Out);
    }

    [Fact]
    [Trait("Category", "Calendar")]
    public async Task A_demo_rerun_a_day_later_replays_the_shared_days_and_adds_only_the_new_traffic()
    {
        var first = new CliProcess { Now = DateTimeOffset.Parse("2028-02-28T12:00:00Z") };
        Assert.Equal(0, (await first.RunAsync("demo", "--events", "6000", "--tenants", "3")).ExitCode);
        var later = new CliProcess(first) { Now = DateTimeOffset.Parse("2028-02-29T12:00:00Z") };
        var rerun = await later.RunAsync("demo", "--events", "6000", "--tenants", "3");
        Assert.True(rerun.ExitCode == 0, rerun.Error + rerun.Out);

        // The second window (2028-01-30 .. 02-29 12:00) shares 2028-01-30 .. 02-28 12:00 with the first: those events
        // are duplicates, only one day's traffic is new (about 6,000 / 30 events on a Tuesday).
        var counts = System.Text.RegularExpressions.Regex.Match(rerun.Out, @"accepted (?<a>[\d,]+), rejected [\d,]+, duplicates (?<d>[\d,]+)");
        Assert.True(counts.Success, rerun.Out);
        var accepted = int.Parse(counts.Groups["a"].Value.Replace(",", ""));
        var duplicates = int.Parse(counts.Groups["d"].Value.Replace(",", ""));
        Assert.InRange(accepted, 100, 400);
        Assert.True(duplicates > 5_000, rerun.Out);
    }

    [Fact]
    public async Task Ingesting_the_same_file_twice_changes_no_total()
    {
        var file = Path.Combine(_cli.StateDirectory, "traffic.ndjson");
        Directory.CreateDirectory(_cli.StateDirectory);
        Assert.Equal(0, (await _cli.RunAsync("loadgen", "--events", "3000", "--days", "5", "--out", file)).ExitCode);

        var first = await _cli.RunAsync("ingest", file, "--json");
        var spend = await _cli.RunAsync("spend", "--group-by", "tenant,model,day", "--from", "2000-01-01", "--to", "2100-01-01", "--json");
        var second = await _cli.RunAsync("ingest", file, "--json");

        Assert.True(first.ExitCode == 0, first.Error);
        using var a = System.Text.Json.JsonDocument.Parse(first.Out);
        using var b = System.Text.Json.JsonDocument.Parse(second.Out);
        var accepted = a.RootElement.GetProperty("accepted").GetInt32();
        Assert.True(accepted > 2_900, first.Out);
        Assert.Equal(0, b.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(accepted + a.RootElement.GetProperty("duplicates").GetInt32(), b.RootElement.GetProperty("duplicates").GetInt32());
        Assert.Equal(spend.Out, (await _cli.RunAsync("spend", "--group-by", "tenant,model,day", "--from", "2000-01-01", "--to", "2100-01-01", "--json")).Out);
    }

    [Fact]
    public async Task Table_data_written_by_one_command_is_there_for_the_next_when_the_CLI_runs_Azurite_itself()
    {
        // Regression: Azurite saves only on its first SIGINT; killed or signalled twice, short commands lost their writes.
        var cli = new CliProcess(ownAzurite: true);
        var add = await cli.RunAsync("budgets", "add", "--id", "kept", "--tenant", "acme", "--period", "month", "--limit", "10");
        Assert.True(add.ExitCode == 0, add.Error);

        var list = await cli.RunAsync("budgets", "list");
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Contains("kept", list.Out);
    }

    [Fact]
    public async Task The_development_connection_string_follows_the_local_Azurite_port()
    {
        // UseDevelopmentStorage=true names port 10002; with Local:AzuriteTablePort elsewhere the CLI starts Azurite there
        // and must reach it there (it used to crash reaching for 10002).
        var cli = new CliProcess(ownAzurite: true) { Settings = new Dictionary<string, string> { ["Tables__ConnectionString"] = "UseDevelopmentStorage=true" } };
        var add = await cli.RunAsync("budgets", "add", "--id", "ported", "--tenant", "acme", "--limit", "10");
        Assert.True(add.ExitCode == 0, add.Error);
        Assert.Contains("ported", (await cli.RunAsync("budgets", "list")).Out);
    }

    [Fact]
    public async Task Azure_Tables_out_of_reach_is_one_line_and_exit_one_not_a_crash()
    {
        // Nothing listens on port 9 (discard).
        var cli = new CliProcess { Settings = new Dictionary<string, string> { ["Tables__ConnectionString"] = TestEnvironment.TablesConnectionStringFor(9) } };
        var list = await cli.RunAsync("budgets", "list");

        Assert.Equal(1, list.ExitCode);
        Assert.StartsWith("costops budgets: Azure Tables: no answer", list.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", list.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", list.Error, StringComparison.Ordinal);
    }
}
