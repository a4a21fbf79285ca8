using System.Text;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.ClickHouse;

public sealed class EmbeddedClickHouseTests(ClickHouseFixture fixture) : IClassFixture<ClickHouseFixture>
{
    private readonly IClickHouse _clickHouse = fixture.ClickHouse;

    private sealed class Holder
    {
        public int Value = 1;
    }

    [Fact]
    public void A_NullReferenceException_after_connect_is_caught_as_usual()
    {
        // Regression for chdb.md trap 1: with chDB's signal handlers left in place this hung or crashed the process.
        Assert.True(TestEnvironment.Engine.IsOpen);
        Holder? holder = null;
        Assert.Throws<NullReferenceException>(() => holder!.Value);
    }

    [Fact]
    public async Task A_failing_query_surfaces_ClickHouse_own_error_text()
    {
        var error = await Assert.ThrowsAsync<ClickHouseQueryException>(() => _clickHouse.QueryAsync("SELECT no_such_column", "TSV"));
        Assert.Contains("UNKNOWN_IDENTIFIER", error.Message);
        Assert.Contains("no_such_column", error.Message);
    }

    [Fact]
    public async Task Parameters_travel_as_values_never_as_sql()
    {
        var p = new QueryParameters
        {
            { "text", "O'Hara'); DROP TABLE usage_events; --" },
            { "money", 0.000000037500000001m },
            { "at", new DateTimeOffset(2026, 11, 28, 10, 30, 15, 123, TimeSpan.Zero) },
            { "ids", new[] { "a'b", "c" } },
            { "n", 42L },
            { "yes", true },
        };
        var tsv = await _clickHouse.QueryAsync(
            "SELECT {text:String}, {money:Decimal(38, 18)} * 2, {at:DateTime64(3, 'UTC')}, length({ids:Array(String)}), {ids:Array(String)}[1], {n:UInt64} + 1, {yes:Bool}",
            "TSV", p);
        Assert.Equal("O\\'Hara\\'); DROP TABLE usage_events; --\t0.000000075000000002\t2026-11-28 10:30:15.123\t2\ta\\'b\t43\ttrue\n", tsv);
        Assert.Contains("usage_events", await _clickHouse.QueryAsync("SHOW TABLES", "TSV"));
    }

    [Fact]
    public async Task Strings_with_backslashes_tabs_and_line_breaks_arrive_intact()
    {
        const string tricky = "a\\b\tc\nd\re'f\\n";
        var p = new QueryParameters { { "s", tricky }, { "a", new[] { tricky, "" } } };
        var hex = await _clickHouse.QueryAsync("SELECT hex({s:String}), hex({a:Array(String)}[1]), length({a:Array(String)}[2])", "TSV", p);
        var expected = Convert.ToHexString(Encoding.UTF8.GetBytes(tricky));
        Assert.Equal($"{expected}\t{expected}\t0\n", hex);
    }

    [Fact]
    public async Task Instants_suit_both_DateTime_and_DateTime64_placeholders()
    {
        var hours = new[] { new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 28, 11, 0, 0, TimeSpan.Zero) };
        var p = new QueryParameters { { "hours", hours }, { "at", hours[1].AddMilliseconds(5) } };
        var tsv = await _clickHouse.QueryAsync("SELECT {hours:Array(DateTime('UTC'))}[2], {at:DateTime64(3, 'UTC')}", "TSV", p);
        Assert.Equal("2026-11-28 11:00:00\t2026-11-28 11:00:00.005\n", tsv);
    }

    [Fact]
    public async Task Floating_point_parameters_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _clickHouse.QueryAsync("SELECT {x:Float64}", "TSV", new QueryParameters { { "x", 0.1 } }));
    }

    [Fact]
    public async Task An_insert_retried_with_the_same_deduplication_token_lands_once()
    {
        await _clickHouse.ExecuteAsync("CREATE TABLE dedup_probe (id UInt32, amount Decimal(38, 18)) ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100");
        var rows = Encoding.UTF8.GetBytes("{\"id\":1,\"amount\":\"0.1\"}\n{\"id\":2,\"amount\":\"0.2\"}\n");

        await _clickHouse.InsertAsync("dedup_probe", "JSONEachRow", rows, "batch-1");
        await _clickHouse.InsertAsync("dedup_probe", "JSONEachRow", rows, "batch-1");
        await _clickHouse.InsertAsync("dedup_probe", "JSONEachRow", rows, "batch-2");

        Assert.Equal("4\t0.6\n", await _clickHouse.QueryAsync("SELECT count(), sum(amount) FROM dedup_probe", "TSV"));
    }

    [Fact]
    public async Task A_token_outside_the_strict_alphabet_is_refused_before_reaching_sql()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _clickHouse.InsertAsync("usage_events", "JSONEachRow", Array.Empty<byte>(), "x' , max_threads = '1"));
    }

    [Fact]
    public async Task Concurrent_callers_are_serialised_on_the_one_connection()
    {
        var tasks = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            for (var j = 0; j < 25; j++)
            {
                var result = await _clickHouse.QueryAsync("SELECT {i:UInt32} * 1000 + {j:UInt32}", "TSV",
                    new QueryParameters { { "i", (uint)i }, { "j", (uint)j } });
                Assert.Equal($"{i * 1000 + j}\n", result);
            }
        }));
        await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task Statements_run_in_the_bound_database()
    {
        Assert.Equal($"{_clickHouse.Database}\n", await _clickHouse.QueryAsync("SELECT currentDatabase()", "TSV"));
    }
}
