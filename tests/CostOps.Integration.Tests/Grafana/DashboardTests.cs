using System.Globalization;
using System.Text.Json.Nodes;
using CostOps.Integration.Tests.Fixtures;
using CostOps.Integration.Tests.Infra;

namespace CostOps.Integration.Tests.Grafana;

/// <summary>
/// The Grafana dashboard (infra/grafana/dashboards/costops.json) embeds queries/dashboards/*.sql verbatim, and every
/// one of those queries, expanded as the ClickHouse plugin expands it, runs on the real schema over a small dataset
/// ingested through the real handler and returns exactly the rows computed here by hand.
/// </summary>
public sealed class DashboardTests(DashboardTests.Data data) : IClassFixture<DashboardTests.Data>
{
    private static readonly DateTimeOffset From = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 11, 28, 13, 0, 0, TimeSpan.Zero);

    private const string H10 = "2026-11-27 10:00:00", H11 = "2026-11-27 11:00:00";

    /// <summary>Panel query, the columns its panel reads (in order) and its rows, cells joined by '|', numbers without trailing zeros.</summary>
    public static TheoryData<string, string[], string[]> Panels => new()
    {
        { "variable_tenant", ["tenant"], ["ta", "tb"] },
        // Per hour (see Data for the events): 10:00 ta 0.0045 + 0.00475, tb 0.00575; 11:00 ta 0.0021 + 0.00462, tb 0.01125 (mystery-9 of an unknown provider at the default estimate, $15 / $75 per 1M: 500 and 50 tokens).
        { "spend_by_tenant", ["time", "tenant", "cost_usd"], [$"{H10}|ta|0.00925", $"{H10}|tb|0.00575", $"{H11}|ta|0.00672", $"{H11}|tb|0.01125"] },
        { "spend_by_project", ["time", "project", "cost_usd"],
            [$"{H10}|ta/chat|0.00925", $"{H10}|tb/search|0.00575", $"{H11}|ta/(none)|0.0021", $"{H11}|ta/chat|0.00462", $"{H11}|tb/search|0.01125"] },
        { "spend_by_model", ["time", "model", "cost_usd"],
            [$"{H10}|claude-haiku-4-5|0.00575", $"{H10}|gpt-4o|0.00925", $"{H11}|gpt-4o-mini|0.0021", $"{H11}|mystery-9|0.01125", $"{H11}|o4-mini|0.00462"] },
        // gpt-4o: 0.00925 over 2 calls.
        { "cost_per_request", ["time", "model", "cost_per_request_usd"],
            [$"{H10}|claude-haiku-4-5|0.00575", $"{H10}|gpt-4o|0.004625", $"{H11}|gpt-4o-mini|0.0021", $"{H11}|mystery-9|0.01125", $"{H11}|o4-mini|0.00462"] },
        // 10:00: input 1000 + 2000 + 3000 of which 1000 read and 1000 written, output 200 + 100 + 500; hit rate 1000 / 6000.
        // 11:00: input 10000 + 500 + 1000, output 1000 + 50 + 800 of which 600 reasoning.
        { "token_mix", ["time", "uncached_input", "cache_read", "cache_write", "visible_output", "reasoning", "cache_hit_rate"],
            [$"{H10}|4000|1000|1000|800|0|0.16666666666666666", $"{H11}|11500|0|0|1250|600|0"] },
        { "unpriced_share", ["time", "unpriced_share", "unpriced_calls"], [$"{H10}|0|0", $"{H11}|0.3333333333333333|1"] },
        // ta's $100 November budget less ta's running spend: 100 - 0.00925, then - 0.00672.
        { "budget_burn_down", ["time", "budget_id", "remaining_usd"], [$"{H10}|b-monthly|99.99075", $"{H11}|b-monthly|99.98403"] },
        { "budget_alert_annotations", ["time", "text", "tags"],
            ["2026-11-26 08:00:00.000|actual 50%: Monthly budget at 50%|[\"ta\",\"b-monthly\",\"actual\"]",
             "2026-11-27 08:00:00.000|forecast 100%: Monthly budget forecast to reach 130%|[\"ta\",\"b-monthly\",\"forecast\"]"] },
        // The latest alert of the budget's period: forecast 130 of 100.
        { "forecast_vs_limit", ["budget_id", "tenant", "period_key", "spend_usd", "forecast_usd", "limit_usd", "forecast_percent_of_limit", "as_of"],
            ["b-monthly|ta|2026-11|70|130|100|130|2026-11-27 08:00:00.000"] },
        { "top_recommendations", ["tenant", "kind", "project", "feature", "current_model", "suggested_model", "requests", "observed_cost_usd", "projected_cost_usd", "estimated_savings_usd", "confidence", "rationale"],
            ["ta|substitution|p|chat|gpt-4o|gpt-4o-mini|120|12|1.2|10.8|0.8|cheaper model, same quality tier",
             "ta|caching|p|search|gpt-4o||80|5|3|2|0.6|repeated prompt prefixes"] },
        { "savings_by_kind", ["kind", "recommendations", "estimated_savings_usd"], ["substitution|1|10.8", "caching|1|2"] },
        { "ingest_rejects", ["time", "code", "rejects"], ["2026-11-28 12:00:00|cache_tokens_exceed_input|1", "2026-11-28 12:00:00|input_tokens_negative|2"] },
        // All six stored events ingested at 12:00 on the 28th, 24 h 20 min to 25 h 50 min after their calls: sorted lags
        // 87600, 88800, 89700, 90600, 91800, 93000 s; median halfway between the 3rd and 4th, p95 at index 4.75 (linear):
        // 91800 + 0.75 × 1200.
        { "ingest_lag", ["time", "lag_p50_s", "lag_p95_s", "events"], ["2026-11-28 12:00:00|90150|92700|6"] },
    };

    /// <summary>
    /// Six calls of two tenants on 27 November (one sent twice), three rejected lines, ingested through the real handler
    /// at 12:00 on the 28th, plus budget alerts and two recommendation runs written as the evaluator and the recommender
    /// write them (their own tests cover how). Prices (USD per 1M tokens): gpt-4o 2.50 / 10, cache read 1.25;
    /// gpt-4o-mini 0.15 / 0.60; o4-mini 1.10 / 4.40; claude-haiku-4-5 1 / 5, 5-minute cache write 1.25.
    /// </summary>
    public sealed class Data : IAsyncLifetime
    {
        public IngestionFixture Ingestion { get; } = new();

        private const string Events = """
            {"event_id":"d-1","timestamp":"2026-11-27T10:10:00Z","tenant":"ta","project":"chat","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":200}
            {"event_id":"d-2","timestamp":"2026-11-27T10:50:00Z","tenant":"ta","project":"chat","provider":"openai","model":"gpt-4o","input_tokens":2000,"cached_input_tokens":1000,"output_tokens":100}
            {"event_id":"d-3","timestamp":"2026-11-27T11:20:00Z","tenant":"ta","provider":"openai","model":"gpt-4o-mini","input_tokens":10000,"output_tokens":1000}
            {"event_id":"d-4","timestamp":"2026-11-27T10:30:00Z","tenant":"tb","project":"search","provider":"anthropic","model":"claude-haiku-4-5","input_tokens":3000,"cache_write_tokens":1000,"output_tokens":500}
            {"event_id":"d-5","timestamp":"2026-11-27T11:05:00Z","tenant":"tb","project":"search","provider":"acme-llm","model":"mystery-9","input_tokens":500,"output_tokens":50}
            {"event_id":"d-6","timestamp":"2026-11-27T11:40:00Z","tenant":"ta","project":"chat","provider":"openai","model":"o4-mini","input_tokens":1000,"output_tokens":800,"reasoning_tokens":600}
            {"event_id":"d-1","timestamp":"2026-11-27T10:10:00Z","tenant":"ta","project":"chat","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":200}
            {"event_id":"d-7","timestamp":"2026-11-27T10:00:00Z","tenant":"ta","model":"gpt-4o","input_tokens":-1,"output_tokens":1}
            {"event_id":"d-8","timestamp":"2026-11-27T10:00:00Z","tenant":"tb","model":"gpt-4o","input_tokens":-5,"output_tokens":1}
            {"event_id":"d-9","timestamp":"2026-11-27T10:00:00Z","tenant":"tb","model":"gpt-4o","input_tokens":1000,"cached_input_tokens":2000,"output_tokens":1}
            """;

        public async Task InitializeAsync()
        {
            await Ingestion.InitializeAsync();
            var summary = await Ingestion.Handler.HandleAsync([System.Text.Encoding.UTF8.GetBytes(Events)], "grafana-test", CancellationToken.None);
            Assert.Equal((6, 1, 3), (summary.Accepted, summary.Duplicates, summary.Rejected));
            // The panels read the rollups directly, which live commits refresh later (Ingestion:RollupIntervalMilliseconds).
            await Ingestion.Rollups.RefreshPendingAsync();

            await Ingestion.ClickHouse.ExecuteAsync("""
                INSERT INTO budget_alerts (alert_id, fired_at, budget_id, tenant, scope, period_kind, period_key, period_start, period_end,
                                           threshold, kind, limit_usd, spend_usd, forecast_usd, percent, channels, summary)
                VALUES ('a-50', '2026-11-26 08:00:00', 'b-monthly', 'ta', 'tenant', 'month', '2026-11', '2026-11-01 00:00:00', '2026-12-01 00:00:00',
                        50, 'actual', 100, 50.5, 120, 50.5, ['webhook'], 'Monthly budget at 50%'),
                       ('a-f100', '2026-11-27 08:00:00', 'b-monthly', 'ta', 'tenant', 'month', '2026-11', '2026-11-01 00:00:00', '2026-12-01 00:00:00',
                        100, 'forecast', 100, 70, 130, 70, ['webhook', 'slack'], 'Monthly budget forecast to reach 130%')
                """);
            await Ingestion.ClickHouse.ExecuteAsync("""
                INSERT INTO routing_recommendations (run_id, run_at, window_days, recommendation_id, kind, tenant, project, feature, provider,
                    current_model, suggested_provider, suggested_model, budget_id, requests, observed_cost_usd, projected_cost_usd,
                    estimated_savings_usd, traffic_share, confidence, rationale)
                VALUES ('run-old', '2026-11-27 06:00:00', 30, 'r-1', 'substitution', 'ta', 'p', 'chat', 'openai', 'gpt-4o', 'openai', 'gpt-4o-mini', '', 100, 10, 1, 9, 0.5, 0.8, 'superseded run'),
                       ('run-new', '2026-11-28 06:00:00', 30, 'r-1', 'substitution', 'ta', 'p', 'chat', 'openai', 'gpt-4o', 'openai', 'gpt-4o-mini', '', 120, 12, 1.2, 10.8, 0.5, 0.8, 'cheaper model, same quality tier'),
                       ('run-new', '2026-11-28 06:00:00', 30, 'r-2', 'caching', 'ta', 'p', 'search', 'openai', 'gpt-4o', '', '', '', 80, 5, 3, 2, 0.3, 0.6, 'repeated prompt prefixes')
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

    /// <summary>A row as 'a|b|c': numbers (quoted or not) as their value without trailing zeros, arrays as JSON.</summary>
    private static string Line(JsonNode? row) => string.Join('|', row!.AsObject().Select(cell => cell.Value switch
    {
        JsonArray array => array.ToJsonString(),
        JsonValue value when decimal.TryParse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            => number.ToString("0.############################", CultureInfo.InvariantCulture),
        var other => other?.ToString() ?? "",
    }));

    [Theory]
    [MemberData(nameof(Panels))]
    public async Task Every_panel_query_returns_its_columns_and_the_hand_computed_rows(string name, string[] columns, string[] rows)
    {
        var (actual, actualRows) = await RunAsync(name, ["ta", "tb"]);
        Assert.Equal(columns, actual);
        Assert.Equal(rows, actualRows.Select(Line));
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
        var (_, rows) = await RunAsync("spend_by_tenant", ["tb"]);
        Assert.Equal([$"{H10}|tb|0.00575", $"{H11}|tb|0.01125"], rows.Select(Line));
    }

    /// <summary>
    /// Values a producer (before the ingestion alphabet) or a dashboard URL (<c>?var-tenant=</c>) could put in the variable.
    /// (Braces and commas, outside the alphabet, only split a value into more tenant names, which is no injection.)
    /// </summary>
    public static readonly string[] Hostile = ["x') OR 1=1 --", "ta\\", "'", "\\'", "tb' OR '1'='1", "$$", "%27", "{x}", "x,y}", "') UNION ALL SELECT 1 --", "\n;DROP TABLE usage_events"];

    [Fact]
    public async Task Every_panel_expanded_with_hostile_variable_values_parses_and_filters_exactly_as_with_the_plain_tenant()
    {
        foreach (var name in Panels.Select(row => (string)row[0]))
        {
            var sql = PanelSql(name);
            // Every use of a variable goes through a format that ClickHouse cannot misread; comments too, which Grafana
            // expands like the rest (a value with a newline would end the comment).
            Assert.DoesNotMatch(@"\$tenant\b|\$\{tenant\}|\$\{tenant:(?!percentencode\})", sql);
            var (_, expected) = await RunAsync(name, ["ta"]);
            foreach (var hostile in Hostile)
            {
                foreach (var values in new[] { new[] { hostile }, new[] { "ta", hostile } })
                {
                    var expanded = GrafanaMacros.Expand(sql, From, To, TimeSpan.FromHours(1), new Dictionary<string, IReadOnlyList<string>> { ["tenant"] = values });
                    // It parses (one statement)...
                    try
                    {
                        await data.Ingestion.ClickHouse.QueryAsync("EXPLAIN AST " + expanded, "TSV");
                    }
                    catch (CostOps.Infrastructure.ClickHouse.ClickHouseQueryException e)
                    {
                        Assert.Fail($"{name} with {string.Join(" + ", values)} does not parse: {e.Message}\n{expanded}");
                    }
                    // ...and the hostile value is only a tenant name that matches nothing: the rows are those of 'ta' or none.
                    var rows = JsonNode.Parse(await data.Ingestion.ClickHouse.QueryAsync(expanded, "JSON"))!["data"]!.AsArray().Select(Line).ToArray();
                    var tenantFree = name is "variable_tenant" or "ingest_rejects";
                    Assert.True(values.Length == 2 || tenantFree ? rows.SequenceEqual(expected.Select(Line)) : rows.Length == 0,
                        $"{name} with {string.Join(" + ", values)}: {string.Join("; ", rows)}");
                }
            }
        }
    }

    [Fact]
    public async Task The_plugins_default_quoting_would_let_a_hostile_tenant_rewrite_the_query()
    {
        // The control: the form the panels used before, expanded as the plugin expands it, is injectable, so the test
        // above can tell a safe panel from an unsafe one.
        const string unsafeSql = "SELECT count() AS n FROM spend_hourly FINAL WHERE tenant IN ($tenant)";
        var expanded = GrafanaMacros.Expand(unsafeSql, From, To, TimeSpan.FromHours(1),
            new Dictionary<string, IReadOnlyList<string>> { ["tenant"] = ["nobody", "x') OR 1=1 OR tenant IN ('"] });
        var n = (await data.Ingestion.ClickHouse.QueryAsync(expanded, "TSV")).Trim();
        Assert.NotEqual("0", n);
    }

    [Fact]
    public async Task Burn_down_counts_spend_from_the_period_start_even_when_the_range_starts_later()
    {
        // From 11:00: the 10:00 spend is outside the range but inside the period, so it still counts.
        var (_, rows) = await RunAsync("budget_burn_down", ["ta", "tb"], from: new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero));
        Assert.Equal([$"{H11}|b-monthly|99.98403"], rows.Select(Line));
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
            // (Grafana's own ${name:format} is not a parameter: it is expanded before ClickHouse sees the text.)
            Assert.DoesNotMatch(@"(?<!\$)\{[a-z_]+:[A-Za-z]", catalog.Get(name));
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
        // The plugin's formatter quotes and joins an array and escapes nothing (grafana-clickhouse-datasource, CHDatasource.format).
        Assert.Equal("SELECT toStartOfInterval(toDateTime(ts), INTERVAL 60 second) t FROM x WHERE ts >= toDateTime(1000) AND ts <= toDateTime(2000) AND a IN ('a','o'b') AND b > toDateTime(1000) AND c < toDateTime(2000)", sql);
        // Grafana's percentencode: the glob {a,o'b} through encodeURIComponent, with ' escaped as well.
        Assert.Equal("'%7Ba%2Co%27b%7D'", GrafanaMacros.Expand("'${tenant:percentencode}'", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1),
            new Dictionary<string, IReadOnlyList<string>> { ["tenant"] = ["a", "o'b"] }));
        Assert.Equal("%C3%A9%21%28%29%2A~", GrafanaMacros.EncodeUriComponentStrict("é!()*~"));
    }
}
