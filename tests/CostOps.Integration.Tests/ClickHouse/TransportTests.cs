using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.ClickHouse.Server;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.ClickHouse;

/// <summary>
/// The suite's hosts really use the transport the run asks for (COSTOPS_TEST_CLICKHOUSE), so a pass on the server
/// transport is a pass of ClickHouse.Driver over HTTP, not of the embedded engine again.
/// </summary>
public sealed class TransportTests
{
    [Fact]
    public async Task The_test_hosts_talk_to_ClickHouse_through_the_transport_the_run_names()
    {
        await using var host = await CostOpsTestHost.StartAsync();
        Assert.IsType(TestEnvironment.ServerTransport ? typeof(ServerClickHouse) : typeof(EmbeddedClickHouse), host.ClickHouse);
        Assert.Equal("1\n", await host.ClickHouse.QueryAsync("SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = 'usage_events'", "TSV"));
    }
}
