using System.Net;
using System.Text;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.ClickHouse;

/// <summary>
/// <c>costops serve --clickhouse-http</c>: the embedded engine answers ClickHouse's HTTP interface on loopback, as curl,
/// ClickHouse clients and Grafana's plugin call it, over real HTTP to the real serve process.
/// </summary>
public sealed class ClickHouseHttpInterfaceTests
{
    [Fact]
    public async Task Queries_parameters_inserts_and_errors_answer_as_ClickHouse_does()
    {
        var port = TestEnvironment.FreePort();
        await using var serve = await ServeProcess.StartAsync(null, "--clickhouse-http", $"127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        // What the issue asks: curl 'http://127.0.0.1:PORT/?query=SELECT%201' prints 1.
        Assert.Equal("1\n", await http.GetStringAsync("/?query=SELECT%201"));
        Assert.Equal("Ok.\n", await http.GetStringAsync("/ping"));
        // A placeholder's value, in the escaped text form clients send, and the query in the body.
        Assert.Equal("{\"n\":42,\"s\":\"it's\\ttab\"}\n", await http.GetStringAsync(
            $"/?query={Uri.EscapeDataString("SELECT {n:UInt8} + 1 AS n, {s:String} AS s")}&param_n=41&param_s={Uri.EscapeDataString("it's\\ttab")}&default_format=JSONEachRow"));
        var posted = await http.PostAsync("/?default_format=JSONEachRow", new StringContent("SELECT 2 AS two", Encoding.UTF8));
        Assert.Equal("{\"two\":2}\n", await posted.Content.ReadAsStringAsync());

        // Events ingested through the API are there to read, in CostOps' database (the default).
        var ingest = await serve.PostAsync("/api/usage", Encoding.UTF8.GetBytes(
            """{"event_id":"ch-1","timestamp":"2026-11-30T10:00:00Z","tenant":"acme","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}"""));
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        Assert.Equal("acme\t0.0035\n", await http.GetStringAsync($"/?query={Uri.EscapeDataString("SELECT tenant, sum(cost_usd) FROM usage_events FINAL GROUP BY tenant")}"));

        // An insert: the query in the URL, its rows in the body.
        await http.GetStringAsync($"/?query={Uri.EscapeDataString("CREATE TABLE http_probe (n UInt32) ENGINE = Memory")}");
        var insert = await http.PostAsync($"/?query={Uri.EscapeDataString("INSERT INTO http_probe FORMAT JSONEachRow")}", new StringContent("{\"n\":1}\n{\"n\":2}\n", Encoding.UTF8));
        Assert.Equal(HttpStatusCode.OK, insert.StatusCode);
        Assert.Equal("3\n", await http.GetStringAsync($"/?query={Uri.EscapeDataString("SELECT sum(n) FROM http_probe")}"));

        // Errors: ClickHouse's text and code, and its status for the kind.
        var syntax = await http.GetAsync("/?query=SELEC%201");
        Assert.Equal(HttpStatusCode.BadRequest, syntax.StatusCode);
        Assert.Equal("62", syntax.Headers.GetValues("X-ClickHouse-Exception-Code").Single());
        var missing = await http.GetAsync("/?query=SELECT%20*%20FROM%20no_such_table");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("60", missing.Headers.GetValues("X-ClickHouse-Exception-Code").Single());
        Assert.Contains("no_such_table", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The interface is on its own port only: the API's port does not answer it.
        Assert.Equal(HttpStatusCode.NotFound, (await serve.Http.GetAsync("/?query=SELECT%201")).StatusCode);
    }

    [Fact]
    public async Task Only_a_loopback_address_is_accepted()
    {
        var refused = await new CliProcess().RunAsync("serve", "--clickhouse-http", "0.0.0.0:8123");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("loopback", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_process_on_the_server_transport_counts_a_month_exactly_as_the_embedded_run()
    {
        // The server transport (ClickHouse.Driver over HTTP, as in Azure) against serve's embedded engine: migrate,
        // ingest a month of traffic with bad lines and duplicates, ingest it again; spend per tenant, provider and model
        // must equal an embedded run's of the same file to the last decimal.
        var embedded = new CliProcess();
        Directory.CreateDirectory(embedded.StateDirectory);
        var file = Path.Combine(embedded.StateDirectory, "month.ndjson");
        Assert.Equal(0, (await embedded.RunAsync("loadgen", "--events", "3000", "--days", "30", "--bad", "0.01", "--duplicates", "0.05", "--out", file)).ExitCode);
        string[] spend = ["spend", "--group-by", "tenant,provider,model", "--from", "2000-01-01", "--to", "2100-01-01", "--json"];
        Assert.Equal(0, (await embedded.RunAsync("ingest", file)).ExitCode);
        Assert.Equal(0, (await embedded.RunAsync("ingest", file)).ExitCode);
        var expected = await embedded.RunAsync(spend);
        Assert.True(expected.ExitCode == 0, expected.Error);

        var port = TestEnvironment.FreePort();
        await using var serve = await ServeProcess.StartAsync(null, "--clickhouse-http", $"127.0.0.1:{port}");
        var server = new CliProcess
        {
            Settings = new Dictionary<string, string>
            {
                ["ClickHouse__ConnectionString"] = $"Host=127.0.0.1;Port={port};Protocol=http",
                ["ClickHouse__Database"] = "second_process",
            },
        };
        var migrate = await server.RunAsync("migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Error);
        var first = await server.RunAsync("ingest", file, "--json");
        var again = await server.RunAsync("ingest", file, "--json");
        Assert.True(first.ExitCode == 0 && again.ExitCode == 0, first.Error + again.Error);
        using (var a = System.Text.Json.JsonDocument.Parse(first.Out))
        using (var b = System.Text.Json.JsonDocument.Parse(again.Out))
        {
            Assert.True(a.RootElement.GetProperty("rejected").GetInt32() > 0, first.Out);
            Assert.Equal(0, b.RootElement.GetProperty("accepted").GetInt32());
        }
        var actual = await server.RunAsync(spend);

        Assert.True(actual.ExitCode == 0, actual.Error);
        Assert.Contains("\"cost_usd\"", expected.Out, StringComparison.Ordinal);
        Assert.Equal(expected.Out, actual.Out);
    }

    [Fact]
    public async Task An_inserts_URL_settings_apply_to_it_so_a_retried_insert_with_its_token_lands_once()
    {
        // ClickHouse.Driver (the server transport) against the interface, in this process, on this run's engine.
        using var clickHouse = new CostOps.Infrastructure.ClickHouse.Server.ServerClickHouse(
            new global::ClickHouse.Driver.ClickHouseClient(TestEnvironment.ClickHouseServerConnectionString), "default");
        var table = TestEnvironment.UniqueName("dedup_");
        await clickHouse.ExecuteAsync($"CREATE TABLE {table} (id UInt32) ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100");
        try
        {
            var rows = Encoding.UTF8.GetBytes("{\"id\":1}\n{\"id\":2}\n");
            await clickHouse.InsertAsync(table, "JSONEachRow", rows, deduplicationToken: "batch-a");
            await clickHouse.InsertAsync(table, "JSONEachRow", rows, deduplicationToken: "batch-a"); // a retry: dropped
            await clickHouse.InsertAsync(table, "JSONEachRow", rows, deduplicationToken: "batch-b"); // another batch: kept
            Assert.Equal("4\n", await clickHouse.QueryAsync($"SELECT count() FROM {table}", "TSV"));
        }
        finally
        {
            await clickHouse.ExecuteAsync($"DROP TABLE IF EXISTS {table}");
        }
    }
}
