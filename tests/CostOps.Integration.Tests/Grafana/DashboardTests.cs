using System.Text;
using System.Text.Json.Nodes;
using CostOps.Integration.Tests.Fixtures;
using CostOps.Integration.Tests.Infra;

namespace CostOps.Integration.Tests.Grafana;

/// <summary>
/// The Grafana dashboard (infra/grafana/dashboards/costops.json) embeds queries/dashboards/*.sql verbatim, and every
/// one of those queries, expanded as the ClickHouse plugin expands it, runs on the real schema with load-generator
/// traffic ingested through the real handler, returning the columns its panel reads and at least one row.
/// </summary>
public sealed class DashboardTests(DashboardTests.Data data) : IClassFixture<DashboardTests.Data>
{
    private static readonly DateTimeOffset From = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 11, 28, 13, 0, 0, TimeSpan.Zero);

    /// <summary>Panel query -> the columns its panel reads, in order.</summary>
    public static TheoryData<string, string[]> Panels => new()
    {
        { "variable_tenant", ["tenant"] },
        { "spend_by_tenant", ["time", "tenant", "cost_usd"] },
        { "spend_by_project", ["time", "project", "cost_usd"] },
        { "spend_by_model", ["time", "model", "cost_usd"] },
        { "cost_per_request", ["time", "model", "cost_per_request_usd"] },
        { "token_mix", ["time", "uncached_input", "cache_read", "cache_write", "visible_output", "reasoning", "cache_hit_rate"] },
        { "unpriced_share", ["time", "unpriced_share", "unpriced_calls"] },
        { "budget_burn_down", ["time", "budget_id", "remaining_usd"] },
        { "budget_alert_annotations", ["time", "text", "tags"] },
        { "forecast_vs_limit", ["budget_id", "tenant", "period_key", "spend_usd", "forecast_usd", "limit_usd", "forecast_percent_of_limit", "as_of"] },
        { "top_recommendations", ["tenant", "kind", "project", "feature", "current_model", "suggested_model", "requests", "observed_cost_usd", "projected_cost_usd", "estimated_savings_usd", "confidence", "rationale"] },
        { "savings_by_kind", ["kind", "recommendations", "estimated_savings_usd"] },
        { "ingest_rejects", ["time", "code", "rejects"] },
        { "ingest_lag", ["time", "lag_p50_s", "lag_p95_s", "events"] },
    };

    /// <summary>
    /// Three days of load-generator traffic (with some bad events) through the real ingestion handler, plus budget alerts
    /// and a recommendation run written as the evaluator and the recommender write them (their own tests cover how).
    /// </summary>
    public sealed class Data : IAsyncLifetime
    {
        public IngestionFixture Ingestion { get; } = new();

        public IReadOnlyList<string> Tenants { get; private set; } = [];

        public async Task InitializeAsync()
        {
            await Ingestion.InitializeAsync();
            var summary = await Ingestion.Handler.HandleAsync([Ingestion.Traffic(4_000, seed: 7, bad: 0.01)], "grafana-test", CancellationToken.None);
            Assert.True(summary.Accepted > 3_000 && summary.Rejected > 0, $"accepted {summary.Accepted}, rejected {summary.Rejected}");

            Tenants = (await Ingestion.ClickHouse.QueryAsync("SELECT DISTINCT tenant FROM spend_daily ORDER BY tenant", "TSV"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var tenant = Tenants[0];
            await Ingestion.ClickHouse.ExecuteAsync($"""
                INSERT INTO budget_alerts (alert_id, fired_at, budget_id, tenant, scope, period_kind, period_key, period_start, period_end,
                                           threshold, kind, limit_usd, spend_usd, forecast_usd, percent, channels, summary)
                VALUES ('a-50', '2026-11-26 08:00:00', 'b-monthly', '{tenant}', 'tenant', 'month', '2026-11', '2026-11-01 00:00:00', '2026-12-01 00:00:00',
                        50, 'actual', 100, 50.5, 120, 50.5, ['webhook'], 'Monthly budget at 50%'),
                       ('a-f100', '2026-11-27 08:00:00', 'b-monthly', '{tenant}', 'tenant', 'month', '2026-11', '2026-11-01 00:00:00', '2026-12-01 00:00:00',
                        100, 'forecast', 100, 70, 130, 70, ['webhook', 'slack'], 'Monthly budget forecast to reach 130%')
                """);
            await Ingestion.ClickHouse.ExecuteAsync($"""
                INSERT INTO routing_recommendations (run_id, run_at, window_days, recommendation_id, kind, tenant, project, feature, provider,
                    current_model, suggested_provider, suggested_model, budget_id, requests, observed_cost_usd, projected_cost_usd,
                    estimated_savings_usd, traffic_share, confidence, rationale)
                VALUES ('run-old', '2026-11-27 06:00:00', 30, 'r-1', 'substitution', '{tenant}', 'p', 'chat', 'openai', 'gpt-4o', 'openai', 'gpt-4o-mini', '', 100, 10, 1, 9, 0.5, 0.8, 'superseded run'),
                       ('run-new', '2026-11-28 06:00:00', 30, 'r-1', 'substitution', '{tenant}', 'p', 'chat', 'openai', 'gpt-4o', 'openai', 'gpt-4o-mini', '', 120, 12, 1.2, 10.8, 0.5, 0.8, 'cheaper model, same quality tier'),
                       ('run-new', '2026-11-28 06:00:00', 30, 'r-2', 'caching', '{tenant}', 'p', 'search', 'openai', 'gpt-4o', '', '', '', 80, 5, 3, 2, 0.3, 0.6, 'repeated prompt prefixes')
                """);
            await Ingestion.ClickHouse.ExecuteAsync("""
                INSERT INTO recommendation_runs (run_id, run_at, window_days, tenant_filter, scheduled, scopes, recommendations, elapsed_ms)
                VALUES ('run-old', '2026-11-27 06:00:00', 30, '', true, 5, 1, 10), ('run-new', '2026-11-28 06:00:00', 30, '', true, 5, 2, 10)
                """);
        }

        public Task DisposeAsync() => Ingestion.DisposeAsync();
    }

    private static string PanelSql(string name) => File.ReadAllText(RepoPaths.Of("queries", "dashboards", name + ".sql"));

    private async Task<(string[] Columns, JsonArray Rows)> RunAsync(string name, IReadOnlyList<string> tenants, DateTimeOffset? from = null)
    {
        var sql = GrafanaMacros.Expand(PanelSql(name), from ?? From, To, TimeSpan.FromHours(1),
            new Dictionary<string, IReadOnlyList<string>> { ["tenant"] = tenants });
        // Like Grafana, the query goes as plain text: no {name:Type} parameters are bound.
        var json = JsonNode.Parse(await data.Ingestion.ClickHouse.QueryAsync(sql, "JSON"))!;
        var columns = json["meta"]!.AsArray().Select(c => (string)c!["name"]!).ToArray();
        return (columns, json["data"]!.AsArray());
    }

    [Theory]
    [MemberData(nameof(Panels))]
    public async Task Every_panel_query_runs_with_its_columns_and_rows(string name, string[] columns)
    {
        var (actual, rows) = await RunAsync(name, data.Tenants);
        Assert.Equal(columns, actual);
        Assert.NotEmpty(rows);
    }

    [Fact]
    public void Every_dashboard_query_file_has_a_panel_test()
    {
        var files = Directory.EnumerateFiles(RepoPaths.Of("queries", "dashboards"), "*.sql").Select(f => Path.GetFileNameWithoutExtension(f)!).Order();
        Assert.Equal(files, Panels.Select(row => (string)row[0]).Order());
    }

    [Fact]
    public async Task Tenant_variable_narrows_spend_to_the_chosen_tenant()
    {
        var (_, rows) = await RunAsync("spend_by_tenant", [data.Tenants[1]]);
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal(data.Tenants[1], (string?)row!["tenant"]));
    }

    [Fact]
    public async Task Spend_panel_totals_equal_the_deduplicated_events()
    {
        var (_, rows) = await RunAsync("spend_by_tenant", data.Tenants);
        var panelTotal = rows.Sum(row => row!["cost_usd"]!.GetValue<decimal>());
        var eventsTotal = decimal.Parse((await data.Ingestion.ClickHouse.QueryAsync("SELECT sum(cost_usd) FROM usage_events FINAL", "TSV")).Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(eventsTotal, panelTotal);
    }

    [Fact]
    public async Task Burn_down_counts_spend_from_the_period_start_even_when_the_range_starts_later()
    {
        var (_, rows) = await RunAsync("budget_burn_down", data.Tenants, from: new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero));
        Assert.True(rows[0]!["time"]!.GetValue<string>().CompareTo("2026-11-27") >= 0);
        // The seeded budget: $100 for November, tenant-wide; all traffic falls in November.
        var spent = decimal.Parse((await data.Ingestion.ClickHouse.QueryAsync(
            $"SELECT sum(cost_usd) FROM usage_events FINAL WHERE tenant = '{data.Tenants[0]}'", "TSV")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(100m - spent, rows[^1]!["remaining_usd"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Recommendation_panels_show_only_the_newest_run()
    {
        var (_, rows) = await RunAsync("top_recommendations", data.Tenants);
        Assert.Equal(2, rows.Count);
        Assert.DoesNotContain(rows, row => (string?)row!["rationale"] == "superseded run");
    }

    [Fact]
    public void Dashboard_json_embeds_every_query_file_verbatim()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("infra", "grafana", "dashboards", "costops.json")))!;
        var embedded = new List<(string RawSql, string Where)>();
        foreach (var panel in dashboard["panels"]!.AsArray())
        {
            foreach (var target in panel!["targets"]!.AsArray()) embedded.Add(((string)target!["rawSql"]!, $"panel '{panel["title"]}'"));
        }
        foreach (var annotation in dashboard["annotations"]!["list"]!.AsArray()) embedded.Add(((string)annotation!["target"]!["rawSql"]!, "annotation"));
        foreach (var variable in dashboard["templating"]!["list"]!.AsArray()) embedded.Add(((string)variable!["query"]!, $"variable {variable["name"]}"));

        var files = Directory.EnumerateFiles(RepoPaths.Of("queries", "dashboards"), "*.sql")
            .ToDictionary(f => File.ReadAllText(f), f => Path.GetFileName(f));
        foreach (var (rawSql, where) in embedded)
        {
            Assert.True(files.ContainsKey(rawSql), $"{where} embeds SQL that is not the text of any queries/dashboards file; run python3 infra/grafana/generate_dashboard.py.");
        }
        // And nothing is left out: every file is some panel's, the annotation's or the variable's query.
        Assert.Equal(files.Count, embedded.Select(e => e.RawSql).Distinct().Count());
        Assert.All(dashboard["panels"]!.AsArray(), panel => Assert.Equal("costops-clickhouse", (string?)panel!["datasource"]!["uid"]));
    }

    [Fact]
    public void Dashboard_sql_is_grafana_text_that_no_catalog_code_runs()
    {
        // The files are in the embedded catalog (every queries/**/*.sql is), but only Grafana runs them: they carry
        // plugin macros, not {name:Type} parameters, the migrator takes schema/ only, and no source file loads them.
        var catalog = new CostOps.Infrastructure.Sql.SqlCatalog();
        Assert.Equal(Panels.Count(), catalog.NamesUnder("dashboards/").Count);
        Assert.DoesNotContain(CostOps.Infrastructure.Sql.Migration.LoadAll(catalog), m => m.Name.Contains("dashboard", StringComparison.Ordinal));
        foreach (var name in catalog.NamesUnder("dashboards/"))
        {
            Assert.DoesNotMatch(@"\{[a-z_]+:[A-Za-z]", catalog.Get(name));
        }
        var loaders = Directory.EnumerateFiles(RepoPaths.Of("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("\"dashboards/", StringComparison.Ordinal));
        Assert.Empty(loaders);
    }

    [Fact]
    public void Datasource_provisioning_takes_every_secret_from_the_environment()
    {
        var yaml = File.ReadAllText(RepoPaths.Of("infra", "grafana", "provisioning", "datasources", "clickhouse.yaml"));
        Assert.Contains("type: grafana-clickhouse-datasource", yaml);
        Assert.Contains("uid: costops-clickhouse", yaml);
        Assert.Contains("password: ${COSTOPS_CLICKHOUSE_READONLY_PASSWORD}", yaml);
        Assert.Contains("username: ${COSTOPS_CLICKHOUSE_READONLY_USER}", yaml);
    }

    [Fact]
    public void The_macro_expander_matches_the_plugin_forms()
    {
        var sql = GrafanaMacros.Expand("SELECT $__timeInterval(ts) t FROM x WHERE $__timeFilter(ts) AND a IN ($tenant) AND b > $__fromTime AND c < $__toTime",
            DateTimeOffset.FromUnixTimeSeconds(1000), DateTimeOffset.FromUnixTimeSeconds(2000), TimeSpan.FromSeconds(60),
            new Dictionary<string, IReadOnlyList<string>> { ["tenant"] = ["a", "o'b"] });
        Assert.Equal("SELECT toStartOfInterval(toDateTime(ts), INTERVAL 60 second) t FROM x WHERE ts >= toDateTime(1000) AND ts <= toDateTime(2000) AND a IN ('a','o\\'b') AND b > toDateTime(1000) AND c < toDateTime(2000)", sql);
    }
}
