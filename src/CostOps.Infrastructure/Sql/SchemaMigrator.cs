using CostOps.Infrastructure.ClickHouse;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostOps.Infrastructure.Sql;

/// <summary>
/// Applies the ordered migrations under <c>queries/schema/</c> that the database has not recorded yet.
/// Each applied migration is recorded with its checksum in <c>schema_migrations</c>; an applied file that
/// changed afterwards is an error (write a new migration instead). Statements are idempotent
/// (<c>IF NOT EXISTS</c>), so a migration interrupted half-way is simply applied again.
/// </summary>
public sealed class SchemaMigrator(IClickHouse clickHouse, SqlCatalog catalog, TimeProvider time, ILogger<SchemaMigrator>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<SchemaMigrator>.Instance;

    /// <summary>Creates the database if needed, applies pending migrations, returns the ones it applied.</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await clickHouse.ExecuteOutsideDatabaseAsync(catalog.Get(SqlNames.Migrations.CreateDatabase),
            new QueryParameters { { "database", clickHouse.Database } }, cancellationToken);
        await clickHouse.ExecuteAsync(catalog.Get(SqlNames.Migrations.CreateMigrationsTable), cancellationToken: cancellationToken);

        var applied = await AppliedAsync(cancellationToken);
        var done = new List<Migration>();
        foreach (var migration in Migration.LoadAll(catalog))
        {
            if (applied.TryGetValue(migration.Version, out var checksum))
            {
                if (checksum != migration.Checksum)
                {
                    throw new InvalidOperationException(
                        $"Migration {migration.Version:D4}_{migration.Name} changed after it was applied (checksum {checksum[..12]} in the database, {migration.Checksum[..12]} now). Add a new migration instead of editing an applied one.");
                }
                continue;
            }

            _logger.LogInformation("Applying migration {Version:D4}_{Name}", migration.Version, migration.Name);
            foreach (var statement in SqlStatements.Split(migration.Sql))
            {
                await clickHouse.ExecuteAsync(statement, cancellationToken: cancellationToken);
            }
            await clickHouse.ExecuteAsync(catalog.Get(SqlNames.Migrations.RecordMigration), new QueryParameters
            {
                { "version", (uint)migration.Version },
                { "name", migration.Name },
                { "checksum", migration.Checksum },
                { "applied_at", time.GetUtcNow() },
            }, cancellationToken);
            done.Add(migration);
        }
        return done;
    }

    /// <summary>Applied migration versions and their checksums.</summary>
    public async Task<IReadOnlyDictionary<int, string>> AppliedAsync(CancellationToken cancellationToken = default)
    {
        var tsv = await clickHouse.QueryAsync(catalog.Get(SqlNames.Migrations.AppliedMigrations), "TSV", cancellationToken: cancellationToken);
        return tsv.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .ToDictionary(cols => int.Parse(cols[0]), cols => cols[1]);
    }
}
