using CostOps.Core.LoadGen;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>The real ingestion handler, from the hosts' composition root, on a fresh migrated database, with a fixed clock.</summary>
public sealed class IngestionFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private CostOpsTestHost? _host;

    public FakeTimeProvider Time { get; } = new(Now);

    public CostOpsTestHost Host => _host ?? throw new InvalidOperationException("The fixture is not initialised yet.");

    public IClickHouse ClickHouse => Host.ClickHouse;

    public SqlCatalog Catalog => Host.Catalog;

    public SpendRollups Rollups => Host.Get<SpendRollups>();

    public UsageIngestionHandler Handler => Host.Get<UsageIngestionHandler>();

    public async Task InitializeAsync() => _host = await CostOpsTestHost.StartAsync(time: Time);

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }

    /// <summary>NDJSON traffic from the load generator, ending at <see cref="Now"/>.</summary>
    public byte[] Traffic(int events, int seed, double bad = 0, double duplicates = 0)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        new TrafficGenerator(new TrafficProfile { Events = events, Seed = seed, Days = 3, BadFraction = bad, DuplicateFraction = duplicates }, Time)
            .WriteNdjson(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Every total the numbers are read from: raw deduplicated, hourly and daily rollups (refreshed first, as the spend routes do: live rollups are deferred).</summary>
    public async Task<string> TotalsAsync(string tenantFilter = "")
    {
        await Rollups.RefreshPendingAsync();
        var sql = """
            SELECT
              (SELECT (count(), sum(cost_usd), sum(input_tokens), sum(output_tokens)) FROM usage_events FINAL),
              (SELECT (sum(requests), sum(cost_usd), sum(input_tokens), sum(output_tokens)) FROM spend_hourly FINAL),
              (SELECT (sum(requests), sum(cost_usd), sum(input_tokens), sum(output_tokens)) FROM spend_daily FINAL)
            """;
        return await ClickHouse.QueryAsync(sql, "TSV");
    }
}
