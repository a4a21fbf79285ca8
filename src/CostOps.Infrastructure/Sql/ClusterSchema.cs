using System.Text;
using System.Text.RegularExpressions;

namespace CostOps.Infrastructure.Sql;

/// <summary>
/// The ClickHouse cluster variant of the schema, generated from the same migrations (<c>queries/schema/</c>) so the two
/// can never drift. Each table <c>t</c> becomes:
/// <list type="bullet">
/// <item><c>t_local</c> on every replica, <c>ON CLUSTER</c>, with the Replicated form of its engine (MergeTree ->
/// ReplicatedMergeTree, ReplacingMergeTree(v) -> ReplicatedReplacingMergeTree(path, replica, v)); replication gives it
/// insert-block deduplication, so the single-node <c>non_replicated_deduplication_window</c> setting is dropped;</item>
/// <item><c>t</c> itself as a Distributed table over <c>t_local</c>: the application's SQL reads and writes <c>t</c>
/// unchanged.</item>
/// </list>
/// Rows are sharded by tenant wherever a table has one. ReplacingMergeTree collapses duplicates only within a shard and
/// the rollups are recomputed per (tenant, hour): keeping a tenant on one shard is what keeps replays and
/// recomputations exact across the cluster. Tables without a tenant are sharded at random (nothing deduplicates them).
/// Output is written to <c>infra/clickhouse/cluster-schema.sql</c>; a test keeps that file equal to this output.
/// </summary>
public static partial class ClusterSchema
{
    public const string LocalSuffix = "_local";

    [GeneratedRegex(@"^CREATE TABLE IF NOT EXISTS (?<name>[A-Za-z_][A-Za-z0-9_]*)\s*$", RegexOptions.Multiline)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"^ENGINE = (?<engine>MergeTree|ReplacingMergeTree)(?:\((?<args>[^()]*)\))?\s*$", RegexOptions.Multiline)]
    private static partial Regex Engine();

    [GeneratedRegex(@"^SETTINGS non_replicated_deduplication_window = \d+\s*$\n?", RegexOptions.Multiline)]
    private static partial Regex NonReplicatedSetting();

    [GeneratedRegex(@"^\s+tenant\s", RegexOptions.Multiline)]
    private static partial Regex TenantColumn();

    [GeneratedRegex(@"^ALTER TABLE (?<name>[A-Za-z_][A-Za-z0-9_]*) (?<change>(?:ADD|DROP|MODIFY) COLUMN .*)\z", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex AlterColumns();

    [GeneratedRegex(@"^ALTER TABLE (?<name>[A-Za-z_][A-Za-z0-9_]*) (?<change>MODIFY TTL .*)\z", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex AlterTtl();

    [GeneratedRegex(@"^ALTER TABLE [A-Za-z_][A-Za-z0-9_]* MODIFY SETTING non_replicated_deduplication_window = \d+\s*\z", RegexOptions.Multiline)]
    private static partial Regex AlterNonReplicatedSetting();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_-]*\z")]
    private static partial Regex ClusterName();

    [GeneratedRegex(@"^INSERT INTO [A-Za-z_][A-Za-z0-9_]* SELECT ", RegexOptions.Multiline)]
    private static partial Regex InsertSelect();

    /// <summary>Every migration's statements in their cluster form, as one script (statements end with <c>;</c> at line end).</summary>
    public static string Generate(SqlCatalog catalog, string cluster)
    {
        if (!ClusterName().IsMatch(cluster)) throw new ArgumentException($"'{cluster}' is not a cluster name (letters, digits, '_' and '-').", nameof(cluster));

        var script = new StringBuilder();
        script.Append("-- CostOps schema for a ClickHouse cluster (ReplicatedMergeTree + Distributed, ON CLUSTER '").Append(cluster).Append("').\n")
              .Append("-- GENERATED from queries/schema/*.sql by CostOps.Infrastructure.Sql.ClusterSchema: edit the migrations, not this file.\n")
              .Append("-- The replication paths use the server macros {shard} and {replica}, which every replica defines (ClickHouse Cloud does).\n");
        foreach (var migration in Migration.LoadAll(catalog))
        {
            script.Append("\n-- ").Append($"{migration.Version:D4}_{migration.Name}").Append('\n');
            foreach (var statement in SqlStatements.Split(migration.Sql))
            {
                foreach (var clustered in Convert(statement, cluster))
                {
                    script.Append('\n').Append(clustered).Append(";\n");
                }
            }
        }
        return script.ToString();
    }

    /// <summary>One single-node statement as its cluster statements (the local replicated table, then its Distributed table).</summary>
    public static IReadOnlyList<string> Convert(string statement, string cluster)
    {
        // A column change applies to the local tables on every replica and to the Distributed table over them, whose
        // columns mirror theirs (without the second, reads of a dropped column would fail and new columns be invisible).
        var alter = AlterColumns().Match(statement.TrimEnd());
        if (alter.Success)
        {
            var comment = statement[..alter.Index];
            var name = alter.Groups["name"].Value;
            var change = alter.Groups["change"].Value;
            return [$"{comment}ALTER TABLE {name}{LocalSuffix} ON CLUSTER '{cluster}' {change}", $"ALTER TABLE {name} ON CLUSTER '{cluster}' {change}"];
        }

        // A TTL deletes stored rows: only the local tables store any.
        var ttl = AlterTtl().Match(statement.TrimEnd());
        if (ttl.Success)
        {
            return [$"{statement[..ttl.Index]}ALTER TABLE {ttl.Groups["name"].Value}{LocalSuffix} ON CLUSTER '{cluster}' {ttl.Groups["change"].Value}"];
        }

        // Replicated tables deduplicate inserts by themselves: the single-node setting has no cluster form.
        if (AlterNonReplicatedSetting().IsMatch(statement.TrimEnd())) return [];

        // A one-time backfill reads and writes the Distributed tables, once for the whole cluster: it stays as it is.
        if (InsertSelect().IsMatch(statement)) return [statement];

        var create = CreateTable().Match(statement);
        var engine = Engine().Match(statement);
        if (!create.Success || !engine.Success)
        {
            // Only what the migrations contain today is translated; anything else (materialized views, other ALTERs) needs
            // its own rule here rather than a guess, so it fails the generator (and its test) loudly.
            throw new NotSupportedException($"The cluster schema generator handles CREATE TABLE IF NOT EXISTS ... ENGINE = MergeTree|ReplacingMergeTree, ALTER TABLE ... ADD|DROP|MODIFY COLUMN, ALTER TABLE ... MODIFY TTL, ALTER TABLE ... MODIFY SETTING non_replicated_deduplication_window and INSERT INTO ... SELECT only; add a rule for:\n{statement}");
        }

        var table = create.Groups["name"].Value;
        var local = table + LocalSuffix;
        var path = $"'/clickhouse/tables/{{shard}}/{{database}}/{local}'";
        var args = engine.Groups["args"].Success && engine.Groups["args"].Value.Trim().Length > 0 ? ", " + engine.Groups["args"].Value.Trim() : "";
        var replicated = $"ENGINE = Replicated{engine.Groups["engine"].Value}({path}, '{{replica}}'{args})";

        var localSql = CreateTable().Replace(statement, $"CREATE TABLE IF NOT EXISTS {local} ON CLUSTER '{cluster}'", 1);
        localSql = Engine().Replace(localSql, replicated, 1);
        localSql = NonReplicatedSetting().Replace(localSql, "").TrimEnd();

        var shardingKey = TenantColumn().IsMatch(statement) ? "cityHash64(tenant)" : "rand()";
        var distributedSql =
            $"-- {table}: what the application reads and writes; rows go to the shard of {(shardingKey == "rand()" ? "a random choice" : "their tenant")}.\n" +
            $"CREATE TABLE IF NOT EXISTS {table} ON CLUSTER '{cluster}' AS {local}\n" +
            $"ENGINE = Distributed('{cluster}', currentDatabase(), {local}, {shardingKey})";
        return [localSql, distributedSql];
    }
}
