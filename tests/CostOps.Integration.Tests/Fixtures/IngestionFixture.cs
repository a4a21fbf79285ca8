using CostOps.Core.LoadGen;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>The real ingestion handler on a fresh migrated database, with a fixed clock.</summary>
public sealed class IngestionFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public IngestionFixture()
    {
        ClickHouse = new EmbeddedClickHouse(TestEnvironment.Engine, TestEnvironment.UniqueName("test_"));
        Rollups = new SpendRollups(ClickHouse, Catalog, Time);
        Handler = new UsageIngestionHandler(ClickHouse, Catalog, new BundledPriceCatalogSource(), Rollups, Time);
    }

    public FakeTimeProvider Time { get; } = new(Now);

    public EmbeddedClickHouse ClickHouse { get; }

    public SqlCatalog Catalog { get; } = new();

    public SpendRollups Rollups { get; }

    public UsageIngestionHandler Handler { get; }

    public async Task InitializeAsync() => await new SchemaMigrator(ClickHouse, Catalog, Time).MigrateAsync();

    public async Task DisposeAsync() =>
        await ClickHouse.ExecuteOutsideDatabaseAsync(Catalog.Get(SqlNames.Migrations.DropDatabase),
            new QueryParameters { { "database", ClickHouse.Database } });

    /// <summary>NDJSON traffic from the load generator, ending at <see cref="Now"/>.</summary>
    public byte[] Traffic(int events, int seed, double bad = 0, double duplicates = 0)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        new TrafficGenerator(new TrafficProfile { Events = events, Seed = seed, Days = 3, BadFraction = bad, DuplicateFraction = duplicates }, Time)
            .WriteNdjson(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Every total the numbers are read from: raw deduplicated, hourly and daily rollups.</summary>
    public async Task<string> TotalsAsync(string tenantFilter = "")
    {
        var sql = """
            SELECT
              (SELECT (count(), sum(cost_usd), sum(input_tokens), sum(output_tokens)) FROM usage_events FINAL),
              (SELECT (sum(requests), sum(cost_usd), sum(input_tokens), sum(output_tokens)) FROM spend_hourly FINAL),
              (SELECT (sum(requests), sum(cost_usd), sum(input_tokens), sum(output_tokens)) FROM spend_daily FINAL)
            """;
        return await ClickHouse.QueryAsync(sql, "TSV");
    }
}
