using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Budgets;

/// <summary>If-Match on the budget API (both hosts pass the header through raw; the API reads it): stale versions are refused.</summary>
public sealed class BudgetApiPreconditionTests(ClickHouseFixture clickHouse) : IClassFixture<ClickHouseFixture>
{
    private const string Definition = """{"id": "pre", "scope": {"tenant": "acme"}, "period": "month", "limitUsd": 100}""";

    [Fact]
    public async Task A_stale_If_Match_is_refused_and_star_or_empty_set_no_condition()
    {
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var created = await host.Api.CreateAsync(Definition);
        Assert.True(created.Status == 201, created.Json);
        var first = created.ETag;
        Assert.False(string.IsNullOrEmpty(first));

        var updated = await host.Api.UpdateAsync("pre", Definition.Replace("100}", "120}"), first);
        Assert.True(updated.Status == 200, updated.Json);
        Assert.NotEqual(first, updated.ETag);

        // The first version is gone: a writer still holding it must not overwrite the 120.
        var stale = await host.Api.UpdateAsync("pre", Definition.Replace("100}", "90}"), first);
        Assert.Equal(412, stale.Status);
        Assert.Equal(412, (await host.Api.DeleteAsync("pre", first)).Status);
        Assert.Equal("120", JsonDocument.Parse((await host.Api.GetAsync("pre")).Json!).RootElement.GetProperty("limitUsd").ToString());

        foreach (var any in new[] { "*", "", " " })
        {
            var unconditional = await host.Api.UpdateAsync("pre", Definition.Replace("100}", "130}"), any);
            Assert.True(unconditional.Status == 200, $"If-Match '{any}': {unconditional.Status} {unconditional.Json}");
        }
        Assert.Equal(204, (await host.Api.DeleteAsync("pre", "*")).Status);
    }
}
