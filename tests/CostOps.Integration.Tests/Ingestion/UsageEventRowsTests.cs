using CostOps.Infrastructure.Ingestion;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Ingestion;

public sealed class UsageEventRowsTests(ClickHouseFixture fixture) : IClassFixture<ClickHouseFixture>
{
    [Fact]
    public async Task The_RowBinary_header_matches_the_table_column_for_column()
    {
        var columns = await fixture.ClickHouse.QueryAsync(
            "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'usage_events' ORDER BY position", "TSV");
        var expected = string.Concat(UsageEventRows.Columns.Select(c => $"{c.Name}\t{c.Type.Replace("\\'", "'")}\n"));
        Assert.Equal(expected.Replace("'", "\\'"), columns);
    }
}
