using System.Text;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>
/// usage_event_ids keeps an id while a copy of its event could still be accepted (migration 0010), and then forgets it,
/// so the identity table no longer grows without end.
/// </summary>
public sealed class EventIdRetentionTests : IAsyncLifetime
{
    // ClickHouse applies the TTL against the machine's real clock. Ingestion runs on a clock set long after it (ids must
    // be kept) or long before it (ids are past their window): only that order matters, and it cannot change.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2020, 1, 10, 12, 0, 0, TimeSpan.Zero));
    private CostOpsTestHost _host = null!;

    private IClickHouse ClickHouse => _host.ClickHouse;

    public async Task InitializeAsync() => _host = await CostOpsTestHost.StartAsync(time: _time);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private UsageIngestionHandler Handler(int windowDays) =>
        CostOpsTestHost.Beside(ClickHouse.Database, _host.Tables.Prefix, _time,
            new Dictionary<string, string?> { ["Ingestion:MaxEventAgeDays"] = windowDays.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .Get<UsageIngestionHandler>();

    private static byte[] Event(string id, string timestamp) => Encoding.UTF8.GetBytes(
        $$"""{"event_id":"{{id}}","timestamp":"{{timestamp}}","tenant":"retained","model":"gpt-4o","input_tokens":1000,"output_tokens":100}""");

    [Fact]
    public async Task An_id_is_kept_a_window_after_the_later_of_its_timestamp_and_its_ingestion()
    {
        _time.SetUtcNow(new DateTimeOffset(2090, 1, 10, 12, 0, 0, TimeSpan.Zero));
        var handler = Handler(windowDays: 3);
        // One stamped before ingestion, one stamped ahead of it (inside the allowed clock skew).
        var summary = await handler.HandleAsync([Event("past", "2090-01-08T09:00:00Z"), Event("ahead", "2090-01-10T20:00:00Z")], "test", CancellationToken.None);
        Assert.Equal(2, summary.Accepted);
        // An id stored before migration 0010 takes the default window from the later of its two instants.
        await ClickHouse.ExecuteAsync(
            "INSERT INTO usage_event_ids (tenant, event_id, timestamp, ingested_at) VALUES ('retained', 'legacy', '2089-01-01 00:00:00', '2089-01-02 00:00:00')");

        Assert.Equal("ahead\t2090-01-13 20:00:00.000\nlegacy\t2090-02-06 00:00:00.000\npast\t2090-01-13 12:00:00.000\n",
            await ClickHouse.QueryAsync("SELECT event_id, expires_at FROM usage_event_ids ORDER BY event_id", "TSV"));
        // Inside the window a re-stamped copy is a duplicate.
        var retry = await handler.HandleAsync([Event("past", "2090-01-10T11:00:00Z")], "test", CancellationToken.None);
        Assert.Equal((0, 1), (retry.Accepted, retry.Duplicates));
    }

    [Fact]
    public async Task An_id_past_its_window_is_forgotten_while_its_event_stays()
    {
        var handler = Handler(windowDays: 3);
        await handler.HandleAsync([Event("old-1", "2020-01-09T09:00:00Z")], "test", CancellationToken.None);
        await ClickHouse.ExecuteAsync("OPTIMIZE TABLE usage_event_ids FINAL");

        Assert.Equal("0\n", await ClickHouse.QueryAsync("SELECT count() FROM usage_event_ids", "TSV"));
        Assert.Equal("1\n", await ClickHouse.QueryAsync("SELECT count() FROM usage_events FINAL", "TSV"));
    }
}
