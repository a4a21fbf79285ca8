namespace CostOps.Infrastructure.ClickHouse;

/// <summary>
/// The one way CostOps talks to ClickHouse, whichever transport is configured: embedded chDB or a server
/// through ClickHouse.Driver. Both run the same SQL text from <c>queries/</c> with the same parameters.
/// </summary>
public interface IClickHouse
{
    /// <summary>The database statements run in (unqualified table names resolve here).</summary>
    string Database { get; }

    /// <summary>
    /// How many bytes of URL-encoded parameter values one statement may carry (<see cref="TsvRowChunks"/> cuts rows to
    /// fit): a server reads them from the URL and stops at 1 MiB of it; the embedded engine takes them directly.
    /// </summary>
    int MaxParameterUrlBytes { get; }

    /// <summary>Runs a statement that returns no rows (DDL, INSERT ... SELECT, ALTER).</summary>
    Task ExecuteAsync(string sql, QueryParameters? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a statement outside any database (CREATE/DROP DATABASE), so it works before the database exists.</summary>
    Task ExecuteOutsideDatabaseAsync(string sql, QueryParameters? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a query and returns its output rendered in a ClickHouse output format (TSV, JSONEachRow, ...).</summary>
    Task<string> QueryAsync(string sql, string format, QueryParameters? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts rows given in a ClickHouse input format (e.g. JSONEachRow, RowBinary) into a table.
    /// <paramref name="deduplicationToken"/> makes a retried insert of the same block a no-op.
    /// </summary>
    Task InsertAsync(string table, string format, ReadOnlyMemory<byte> rows, string? deduplicationToken = null, CancellationToken cancellationToken = default);
}
