using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Recommendations;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CostOps.Integration.Tests.Recommendations;

/// <summary>
/// The real recommendation service on the fixture's ClickHouse (events ingested through the real handler), with the
/// fixture's clock (or the test's own), and budgets and decisions in the test's own Azure tables on the run's Azurite.
/// </summary>
public static class RecommendationTestHost
{
    public static RecommendationService Create(IngestionFixture fixture, TableStorage tables, RecommendationOptions? options = null, TimeProvider? time = null)
    {
        var repository = new RecommendationRepository(fixture.ClickHouse, fixture.Catalog);
        return new RecommendationService(
            new UsageProfileReader(fixture.ClickHouse, fixture.Catalog),
            new BudgetPressureReader(new TableBudgetStore(tables), new BudgetSpendReader(fixture.ClickHouse, fixture.Catalog)),
            repository,
            new RecommendationStateStore(tables),
            new BundledPriceCatalogSource(),
            time ?? fixture.Time,
            Options.Create(options ?? new RecommendationOptions()),
            NullLogger<RecommendationService>.Instance);
    }
}
