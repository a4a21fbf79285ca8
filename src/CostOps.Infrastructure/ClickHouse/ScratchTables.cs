using CostOps.Infrastructure.Sql;

namespace CostOps.Infrastructure.ClickHouse;

/// <summary>
/// Short-lived Memory tables an operation creates and drops itself (portable to the server transport, where temporary
/// tables would need a session). A crash between create and drop leaves one behind; <see cref="SweepAsync"/>, run at
/// start-up with the migrations, drops those older than any operation.
/// </summary>
public static class ScratchTables
{
    /// <summary>A duplicate check's candidate (tenant, event id) pairs.</summary>
    public const string IngestIds = "ingest_ids_";

    /// <summary>An evaluation tick's budgets.</summary>
    public const string BudgetInput = "budget_input_";

    /// <summary>Operations take seconds; a scratch table this old was left by a crash.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    public static string NewName(string prefix) => prefix + Guid.NewGuid().ToString("N");

    /// <summary>
    /// Creates a scratch table (<paramref name="createQuery"/> takes its name as <c>{table:Identifier}</c>), fills it with
    /// <paramref name="rows"/>, runs <paramref name="query"/> with its name, and drops it whatever happens.
    /// </summary>
    public static async Task<T> WithTableAsync<T>(IClickHouse clickHouse, SqlCatalog catalog, string prefix, string createQuery,
        string format, ReadOnlyMemory<byte> rows, Func<string, Task<T>> query, CancellationToken cancellationToken)
    {
        var table = NewName(prefix);
        var name = new QueryParameters { { "table", table } };
        await clickHouse.ExecuteAsync(catalog.Get(createQuery), name, cancellationToken);
        try
        {
            await clickHouse.InsertAsync(table, format, rows, cancellationToken: cancellationToken);
            return await query(table);
        }
        finally
        {
            await clickHouse.ExecuteAsync(catalog.Get(SqlNames.Maintenance.DropScratchTable), name, CancellationToken.None);
        }
    }

    /// <summary>Drops scratch tables at least <paramref name="minAge"/> old; returns their names.</summary>
    public static async Task<IReadOnlyList<string>> SweepAsync(IClickHouse clickHouse, SqlCatalog catalog, TimeSpan minAge, CancellationToken cancellationToken)
    {
        var tsv = await clickHouse.QueryAsync(catalog.Get(SqlNames.Maintenance.StaleScratchTables), "TSV", new QueryParameters
        {
            { "prefixes", new[] { IngestIds, BudgetInput } },
            { "min_age_seconds", (uint)minAge.TotalSeconds },
        }, cancellationToken);
        var names = tsv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in names)
        {
            await clickHouse.ExecuteAsync(catalog.Get(SqlNames.Maintenance.DropScratchTable), new QueryParameters { { "table", name } }, cancellationToken);
        }
        return names;
    }
}
