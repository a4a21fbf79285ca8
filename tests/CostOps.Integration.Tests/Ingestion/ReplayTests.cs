using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>Replays on a database of their own, so every total in it is theirs.</summary>
public sealed class ReplayTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    [Fact]
    public async Task Replaying_the_same_batch_three_times_changes_no_total()
    {
        var payload = fixture.Traffic(2_000, seed: 7);
        var first = await fixture.Handler.HandleAsync([payload], "test", CancellationToken.None);
        var totals = await fixture.TotalsAsync();

        var second = await fixture.Handler.HandleAsync([payload], "test", CancellationToken.None);
        var third = await fixture.Handler.HandleAsync([payload], "test", CancellationToken.None);

        Assert.Equal(2_000, first.Accepted);
        Assert.Equal(0, first.Duplicates);
        Assert.Equal((0, 2_000), (second.Accepted, second.Duplicates));
        Assert.Equal((0, 2_000), (third.Accepted, third.Duplicates));
        Assert.Equal(totals, await fixture.TotalsAsync());

        // The three views agree with each other, and the raw table holds each event once after merging.
        var parts = totals.Trim().Split('\t');
        Assert.Equal(parts[0].Replace("2000,", ""), parts[1].Replace("2000,", ""));
        Assert.Equal(parts[1], parts[2]);
        Assert.StartsWith("(2000,", parts[0]);
        Assert.Equal("4000\n", await fixture.ClickHouse.QueryAsync("SELECT count() FROM ingest_duplicates WHERE source = 'test'", "TSV"));
    }
}
