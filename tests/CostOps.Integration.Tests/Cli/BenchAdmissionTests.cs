using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Cli;

/// <summary>
/// <c>costops bench admission</c> measures admissions, not errors: every call of a short run through the real CLI
/// process is admitted (200) in both phases (closed loop, and paced at the target rate), on either ledger (Redis: a
/// redis-server the bench starts itself), so its rate is the admission path's. Speed itself is the benchmark's to
/// report, not asserted.
/// </summary>
public sealed class BenchAdmissionTests
{
    [Theory]
    [InlineData("tables")]
    [InlineData("redis")]
    public async Task A_short_run_admits_every_call_it_counts(string ledger)
    {
        var result = await new CliProcess().RunAsync("bench", "admission", "--tenants", "5", "--connections", "2", "--seconds", "1", "--ledger", ledger, "--json");
        var json = result.Json();
        Assert.Equal(ledger, json.GetProperty("ledger").GetString());
        foreach (var phase in new[] { "closed_loop", "at_2000_per_second" })
        {
            Assert.True(json.GetProperty(phase).GetProperty("admissions").GetInt64() > 0, result.Out);
            Assert.Equal(0, json.GetProperty(phase).GetProperty("not_admitted").GetInt64());
        }
    }
}
