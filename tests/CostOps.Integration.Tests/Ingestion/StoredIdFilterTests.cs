using System.Text;
using System.Text.Json;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>
/// The stored-id filter (<see cref="StoredIdFilter"/>) on the embedded engine: loaded from a table it never saw written
/// (ClickHouse's hash of each id must be the one .NET computes, across pages cut inside a tenant, for ids of any
/// characters), it still lets every stored id through to the look-up, so duplicates stay duplicates, and it rules out
/// nearly every new id. On the server transport there is no filter (other hosts write the table) and the look-up alone
/// still finds every stored id.
/// </summary>
public sealed class StoredIdFilterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private CostOpsTestHost _host = null!;

    private IClickHouse ClickHouse => _host.ClickHouse;

    public async Task InitializeAsync() => _host = await CostOpsTestHost.StartAsync(time: _time);

    public async Task DisposeAsync()
    {
        StoredIdFilter.PageIds = 4_000_000;
        await _host.DisposeAsync();
    }

    // Ids with characters that need escaping in SQL and JSON (a backslash, a quote) and outside ASCII, in 7 tenants.
    private const string SeededIdSql = @"concat('id-\\""é✓ ', toString(number))";

    private static string SeededId(long n) => $"id-\\\"é✓ {n}";

    private static ReadOnlyMemory<byte> Event(string tenant, string id) => Encoding.UTF8.GetBytes(
        $$"""{"event_id":{{JsonSerializer.Serialize(id)}},"timestamp":"2026-11-20T11:00:00Z","tenant":"{{tenant}}","model":"gpt-4o","input_tokens":1000,"output_tokens":100}""");

    [Fact]
    public async Task Loaded_from_the_table_it_lets_every_stored_id_through_and_rules_out_nearly_every_new_one()
    {
        const int seeded = 1_000_001;
        await ClickHouse.ExecuteAsync(
            $"INSERT INTO usage_event_ids (tenant, event_id, timestamp, ingested_at) SELECT concat('seeded-', toString(number % 7)), {SeededIdSql}, now64(3), now64(3) FROM numbers({seeded})");
        // Loaded in four pages (by hash) instead of one: every page's ids must arrive.
        StoredIdFilter.PageIds = 300_000;
        var handler = _host.Get<UsageIngestionHandler>();
        var filter = StoredIdFilter.For(ClickHouse, _host.Get<SqlCatalog>());
        if (TestEnvironment.ServerTransport)
        {
            // Other hosts write a server's table: no filter, every candidate is looked up, and stored ids stay duplicates.
            Assert.Null(filter);
            var seen = await handler.HandleAsync([Event("seeded-0", SeededId(0)), Event("seeded-1", SeededId(1)), Event("seeded-0", "fresh-0")], "test", CancellationToken.None);
            Assert.Equal((1, 2), (seen.Accepted, seen.Duplicates));
            return;
        }
        Assert.NotNull(filter);

        // The first commit starts the load; until it is ready every candidate is looked up.
        var first = await handler.HandleAsync([Event("seeded-0", "fresh-0")], "test", CancellationToken.None);
        Assert.Equal(1, first.Accepted);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!filter.IsReady && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(filter.IsReady, "the filter did not load within 60 s");

        // Every stored id, on every page: the filter must not rule out one.
        for (var from = 0; from < seeded; from += 100_000)
        {
            var stored = Enumerable.Range(from, Math.Min(100_000, seeded - from)).Select(n => ($"seeded-{n % 7}", SeededId(n))).ToList();
            Assert.Equal(stored.Count, filter.MayBeStored(stored).Count);
        }
        long[] samples = [0, 1, 6, 7, 250_000, 499_999, 500_000, 500_001, 999_999, 1_000_000];
        var again = await handler.HandleAsync(samples.Select(n => Event($"seeded-{n % 7}", SeededId(n))).ToList(), "test", CancellationToken.None);
        Assert.Equal((0, samples.Length), (again.Accepted, again.Duplicates));

        // What a commit wrote after the load is never ruled out either; its retry is a duplicate.
        var retry = await handler.HandleAsync([Event("seeded-0", "fresh-0")], "test", CancellationToken.None);
        Assert.Equal((0, 1), (retry.Accepted, retry.Duplicates));

        // New ids: about 1 % may need a look-up, never most of them.
        var fresh = Enumerable.Range(1, 10_000).Select(i => ($"seeded-{i % 7}", $"fresh-{i}")).ToList();
        Assert.InRange(filter.MayBeStored(fresh).Count, 0, 500);
        var accepted = await handler.HandleAsync(fresh.Take(500).Select(k => Event(k.Item1, k.Item2)).ToList(), "test", CancellationToken.None);
        Assert.Equal((500, 0), (accepted.Accepted, accepted.Duplicates));
        Assert.Equal("501\n", await ClickHouse.QueryAsync("SELECT count() FROM usage_events FINAL", "TSV"));
    }
}
