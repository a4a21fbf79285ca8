using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Budgets;

public sealed class BudgetsCliTests
{
    // The test's receiver address is loopback, which only an explicit setting allows.
    private readonly CliProcess _cli = new() { Settings = new Dictionary<string, string> { ["Webhooks__AllowLoopback"] = "true" } };

    [Fact]
    public async Task Budgets_add_list_and_a_refused_definition_through_the_real_binary()
    {
        var added = await _cli.RunAsync("budgets", "add", "--id", "team-a", "--tenant", "acme", "--project", "chat", "--period", "month",
            "--limit", "500", "--thresholds", "50,80,100", "--forecast-threshold", "100", "--webhook", "http://127.0.0.1:9/hook");
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Contains("webhook signing secret (shown once", added.Out);

        var list = await _cli.RunAsync("budgets", "list");
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Contains("team-a  tenant=acme project=chat  month", list.Out);
        Assert.Contains("50,80,100,100f", list.Out);

        var blocking = await _cli.RunAsync("budgets", "add", "--id", "team-b", "--tenant", "acme", "--period", "daily", "--limit", "1", "--action", "block");
        Assert.True(blocking.ExitCode == 0, blocking.Error);
        var rerouting = await _cli.RunAsync("budgets", "update", "team-b", "--action", "reroute", "--reroute-model", "gpt-4o-mini");
        Assert.True(rerouting.ExitCode == 0, rerouting.Error);
        var shown = await _cli.RunAsync("budgets", "show", "team-b");
        Assert.Contains("\"action\": \"reroute\"", shown.Out);
        Assert.Contains("\"rerouteModel\": \"gpt-4o-mini\"", shown.Out);
        var wrongAction = await _cli.RunAsync("budgets", "update", "team-b", "--action", "stop");
        Assert.Equal(2, wrongAction.ExitCode);
        Assert.Contains("action: 'stop' is not one of alert, block, reroute.", wrongAction.Error);

        var bad = await _cli.RunAsync("budgets", "add", "--id", "bad", "--tenant", "acme", "--limit", "-5", "--thresholds", "0,80", "--time-zone", "Mars/Base");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("limitUsd: must be greater than 0 (got -5).", bad.Error);
        Assert.Contains("thresholds: 0% is out of range 1..1000.", bad.Error);
        Assert.Contains("timeZone: 'Mars/Base' is not a known IANA time zone", bad.Error);
    }
}
