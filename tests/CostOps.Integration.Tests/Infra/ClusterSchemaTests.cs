using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Infra;

/// <summary>
/// infra/clickhouse/cluster-schema.sql is exactly what ClusterSchema generates from the migrations, and every statement
/// in it parses in ClickHouse (formatQuery: the embedded engine has no Keeper, so replicated tables cannot be created
/// here, but their syntax is checked by the same parser a server uses).
/// </summary>
public sealed class ClusterSchemaTests(ClickHouseFixture fixture) : IClassFixture<ClickHouseFixture>
{
    private const string Cluster = "default";
    private static readonly string CommittedPath = RepoPaths.Of("infra", "clickhouse", "cluster-schema.sql");

    [Fact]
    public void Committed_cluster_schema_is_the_generator_output()
    {
        var generated = ClusterSchema.Generate(new SqlCatalog(), Cluster);
        // Regenerate with: COSTOPS_WRITE_CLUSTER_SCHEMA=1 dotnet test --filter ClusterSchema
        if (Environment.GetEnvironmentVariable("COSTOPS_WRITE_CLUSTER_SCHEMA") == "1") File.WriteAllText(CommittedPath, generated);
        Assert.True(File.Exists(CommittedPath), $"{CommittedPath} is missing; run with COSTOPS_WRITE_CLUSTER_SCHEMA=1 to write it.");
        Assert.True(File.ReadAllText(CommittedPath) == generated,
            "infra/clickhouse/cluster-schema.sql differs from ClusterSchema.Generate; run with COSTOPS_WRITE_CLUSTER_SCHEMA=1 to regenerate it.");
    }

    [Fact]
    public async Task Every_generated_statement_parses_in_ClickHouse()
    {
        var statements = SqlStatements.Split(ClusterSchema.Generate(new SqlCatalog(), Cluster));
        var single = Migration.LoadAll(new SqlCatalog()).SelectMany(m => SqlStatements.Split(m.Sql)).ToList();
        bool IsBackfill(string sql) => sql.Contains("\nINSERT INTO ", StringComparison.Ordinal) || sql.StartsWith("INSERT INTO ", StringComparison.Ordinal);
        bool IsTtl(string sql) => sql.Contains(" MODIFY TTL ", StringComparison.Ordinal);
        bool IsDeduplicationWindow(string sql) => sql.Contains(" MODIFY SETTING non_replicated_deduplication_window ", StringComparison.Ordinal);
        // Tables and column changes become two statements (local, Distributed); a backfill stays one, and so does a TTL
        // (on the local tables only); the single-node deduplication window has none (replicated tables deduplicate).
        Assert.Equal(2 * single.Count(s => !IsBackfill(s) && !IsTtl(s) && !IsDeduplicationWindow(s)) + single.Count(IsBackfill) + single.Count(IsTtl), statements.Count);
        Assert.Single(single, IsDeduplicationWindow);
        Assert.All(statements.Where(IsTtl), s => Assert.Contains("_local ON CLUSTER", s));
        foreach (var statement in statements)
        {
            var formatted = await fixture.ClickHouse.QueryAsync("SELECT formatQuery({sql:String})", "TSV", new QueryParameters { { "sql", statement } });
            if (!IsBackfill(statement)) Assert.Contains("ON CLUSTER default", formatted);
        }
    }

    [Fact]
    public void Tables_become_replicated_locals_behind_distributed_tables_sharded_by_tenant()
    {
        var usage = ClusterSchema.Convert(SqlStatements.Split(new SqlCatalog().Get("schema/0001_usage_events"))[0], Cluster);
        Assert.Contains("CREATE TABLE IF NOT EXISTS usage_events_local ON CLUSTER 'default'", usage[0]);
        Assert.Contains("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/usage_events_local', '{replica}', ingested_at)", usage[0]);
        Assert.DoesNotContain("non_replicated_deduplication_window", usage[0]);
        Assert.Contains("ORDER BY (tenant, toStartOfHour(timestamp), event_id)", usage[0]);
        Assert.Contains("ENGINE = Distributed('default', currentDatabase(), usage_events_local, cityHash64(tenant))", usage[1]);

        var runs = ClusterSchema.Convert(SqlStatements.Split(new SqlCatalog().Get("schema/0004_routing_recommendations"))[1], Cluster);
        Assert.Contains("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/recommendation_runs_local', '{replica}')", runs[0]);
        Assert.EndsWith("rand())", runs[1]);
    }

    [Fact]
    public void A_statement_without_a_rule_fails_loudly()
    {
        Assert.Throws<NotSupportedException>(() => ClusterSchema.Convert("CREATE MATERIALIZED VIEW mv TO spend_hourly AS SELECT 1", Cluster));
        Assert.Throws<NotSupportedException>(() => ClusterSchema.Convert("ALTER TABLE usage_events DELETE WHERE 1", Cluster));
    }

    [Fact]
    public void A_column_change_alters_the_local_tables_and_the_distributed_table()
    {
        var alters = ClusterSchema.Convert("-- why\nALTER TABLE spend_daily DROP COLUMN IF EXISTS a, DROP COLUMN IF EXISTS b", Cluster);
        Assert.Equal(2, alters.Count);
        Assert.Equal($"-- why\nALTER TABLE spend_daily_local ON CLUSTER '{Cluster}' DROP COLUMN IF EXISTS a, DROP COLUMN IF EXISTS b", alters[0]);
        Assert.Equal($"ALTER TABLE spend_daily ON CLUSTER '{Cluster}' DROP COLUMN IF EXISTS a, DROP COLUMN IF EXISTS b", alters[1]);
    }

    [Fact]
    public async Task The_local_tables_without_replication_create_and_take_rows_on_the_embedded_engine()
    {
        // The statements are also semantically valid, not just parseable: with the replicated engine swapped back for its
        // single-node form and ON CLUSTER removed, each local table creates on the real engine.
        foreach (var statement in SqlStatements.Split(ClusterSchema.Generate(new SqlCatalog(), Cluster)).Where(s => s.Contains("_local ON CLUSTER", StringComparison.Ordinal)))
        {
            var single = System.Text.RegularExpressions.Regex.Replace(statement, @"ENGINE = Replicated(\w+)\('[^']*', '\{replica\}'(?:, )?", "ENGINE = $1(")
                .Replace(" ON CLUSTER 'default'", "", StringComparison.Ordinal)
                .Replace("CREATE TABLE IF NOT EXISTS ", "CREATE TABLE IF NOT EXISTS cluster_check_", StringComparison.Ordinal)
                .Replace("ALTER TABLE ", "ALTER TABLE cluster_check_", StringComparison.Ordinal);
            await fixture.ClickHouse.ExecuteAsync(single);
        }
        var created = await fixture.ClickHouse.QueryAsync(
            "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name LIKE 'cluster\\_check\\_%\\_local'", "TSV");
        var creates = Migration.LoadAll(new SqlCatalog()).Sum(m => SqlStatements.Split(m.Sql).Count(s => s.Contains("CREATE TABLE", StringComparison.Ordinal)));
        Assert.Equal(creates + "\n", created);
        // The column changes applied to the local tables too: spend_daily lost its latency percentiles (0005).
        Assert.Equal("0\n", await fixture.ClickHouse.QueryAsync(
            "SELECT count() FROM system.columns WHERE database = currentDatabase() AND table = 'cluster_check_spend_daily_local' AND name LIKE 'latency%'", "TSV"));
    }
}
