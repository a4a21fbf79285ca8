using System.Text;

namespace CostOps.Infrastructure.ClickHouse.Embedded;

/// <summary><see cref="IClickHouse"/> over the process's embedded chDB connection, bound to one database.</summary>
public sealed class EmbeddedClickHouse(ChDbEngine engine, string database) : IClickHouse
{
    public string Database { get; } = database;

    /// <summary>Parameters go to the engine as they are, not through a URL: one statement takes any number of rows.</summary>
    public int MaxParameterUrlBytes => int.MaxValue;

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

    public async Task InsertAsync(string table, string format, ReadOnlyMemory<byte> rows, string? deduplicationToken = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Rows go through a file, not appended to the statement: chDB misreads some binary rows given inline
        // (RowBinary rows that a file read parses fine came out shifted). INFILE maps columns by the format's
        // header names. The path and table are CostOps' own (checked); the token, which ClickHouse takes only as a
        // setting, is CostOps-made and held to a strict alphabet. None of them comes from input.
        var path = Path.Combine(InsertDirectory, $"{Guid.NewGuid():N}.{format}");
        await File.WriteAllBytesAsync(path, rows, cancellationToken);
        try
        {
            var settings = " SETTINGS " + string.Join(", ", ClickHouseInsert.Settings.Select(s => $"{s.Name} = {s.Value}"))
                + (deduplicationToken is null ? "" : $", insert_deduplication_token = '{ClickHouseInsert.CheckToken(deduplicationToken)}'");
            var sql = $"INSERT INTO `{ClickHouseInsert.CheckTable(table)}` FROM INFILE '{path}'{settings} FORMAT {ClickHouseInsert.CheckFormat(format)}";
            Engine.Query(Database, Encoding.UTF8.GetBytes(sql), "TSV", null);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Where insert files wait for ClickHouse to read them: beside the engine's data, never under user control.</summary>
    public string InsertDirectory => _insertDirectory.Value;

    private readonly Lazy<string> _insertDirectory = new(() => Directory.CreateDirectory(Path.Combine(engine.DataPath, "costops-inserts")).FullName);
}
