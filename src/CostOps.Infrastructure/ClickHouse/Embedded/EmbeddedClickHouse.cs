using System.Text;

namespace CostOps.Infrastructure.ClickHouse.Embedded;

/// <summary><see cref="IClickHouse"/> over the process's embedded chDB connection, bound to one database.</summary>
public sealed class EmbeddedClickHouse(ChDbEngine engine, string database) : IClickHouse
{
    public string Database { get; } = database;

    public ChDbEngine Engine { get; } = engine;

    public Task ExecuteAsync(string sql, QueryParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Engine.Query(Database, Encoding.UTF8.GetBytes(sql), "TSV", parameters);
        return Task.CompletedTask;
    }

    public Task ExecuteOutsideDatabaseAsync(string sql, QueryParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Engine.Query(null, Encoding.UTF8.GetBytes(sql), "TSV", parameters);
        return Task.CompletedTask;
    }

    public Task<string> QueryAsync(string sql, string format, QueryParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = Engine.Query(Database, Encoding.UTF8.GetBytes(sql), ClickHouseInsert.CheckOutputFormat(format), parameters);
        return Task.FromResult(Encoding.UTF8.GetString(bytes));
    }

    public Task InsertAsync(string table, string format, ReadOnlyMemory<byte> rows, string? deduplicationToken = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The rows follow the statement as in ClickHouse's native INSERT ... FORMAT protocol: the input format
        // parses them, never the SQL parser. The table travels as an Identifier parameter; the token, which
        // ClickHouse takes only as a setting, is CostOps-made and held to a strict alphabet.
        var settings = deduplicationToken is null
            ? ""
            : $" SETTINGS insert_deduplication_token = '{ClickHouseInsert.CheckToken(deduplicationToken)}'";
        var head = Encoding.UTF8.GetBytes($"INSERT INTO {{table:Identifier}}{settings} FORMAT {ClickHouseInsert.CheckFormat(format)}\n");
        var buffer = new byte[head.Length + rows.Length];
        head.CopyTo(buffer, 0);
        rows.Span.CopyTo(buffer.AsSpan(head.Length));
        Engine.Query(Database, buffer, "TSV", new QueryParameters { { "table", table } });
        return Task.CompletedTask;
    }
}
