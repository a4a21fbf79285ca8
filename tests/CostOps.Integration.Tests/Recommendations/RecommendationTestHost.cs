using CostOps.Infrastructure.Recommendations;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Recommendations;

/// <summary>
/// The real recommendation services, from the hosts' composition root, on the fixture's ClickHouse (events ingested
/// through the real handler), with the fixture's clock (or the test's own), budgets and decisions in the test's own
/// Azure tables on the run's Azurite, and the test's settings (<c>Recommendations:*</c>).
/// </summary>
public static class RecommendationTestHost
{
    public static CostOpsTestHost Host(IngestionFixture fixture, TableStorage tables, Dictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        CostOpsTestHost.Beside(fixture.ClickHouse.Database, tables.Prefix, time ?? fixture.Time, settings);

    public static RecommendationService Create(IngestionFixture fixture, TableStorage tables, Dictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        Host(fixture, tables, settings, time).Get<RecommendationService>();
}
