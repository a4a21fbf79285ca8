using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Cli;

/// <summary>
/// <c>costops bench admission</c> measures admissions, not errors: every call of a short run through the real CLI
/// process is admitted (200), so its rate is the admission path's. Speed itself is the benchmark's to report, not asserted.
/// </summary>
public sealed class BenchAdmissionTests
{
    [Fact]
    public async Task A_short_run_admits_every_call_it_counts()
    {
        var result = await new CliProcess().RunAsync("bench", "admission", "--tenants", "5", "--connections", "2", "--seconds", "1", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonDocument.Parse(result.Out[result.Out.IndexOf('{')..]).RootElement;
        Assert.True(json.GetProperty("admissions").GetInt64() > 0, result.Out);
        Assert.Equal(0, json.GetProperty("not_admitted").GetInt64());
    }
}
