using ClickHouse.Driver;
using ClickHouse.Driver.ADO;
using ClickHouse.Driver.ADO.Parameters;
using ClickHouse.Driver.Utility;
using Polly;

namespace CostOps.Infrastructure.ClickHouse.Server;

/// <summary>
/// <see cref="IClickHouse"/> over a ClickHouse server through ClickHouse.Driver's <see cref="ClickHouseClient"/>
/// (thread-safe, one per process). Parameters go to the server as <c>param_*</c> values, never into the SQL. A server
/// that does not answer is retried by <paramref name="retry"/> (<c>Resilience:ClickHouse</c>) for what is safe to
/// repeat: reads, and inserts carrying a deduplication token (the server drops a repeat of one that did land). Other
/// statements are not repeated: the caller sees <see cref="ClickHouseUnavailableException"/> at once.
/// </summary>
public sealed class ServerClickHouse(ClickHouseClient client, string database, ResiliencePipeline? retry = null) : IClickHouse, IDisposable
{
    private readonly ResiliencePipeline _retry = retry ?? ResiliencePipeline.Empty;

    public string Database { get; } = database;

    /// <summary>Half of a server's 1 MiB URL (<c>http_max_uri_size</c>), the rest left for the query and other parameters.</summary>
    public int MaxParameterUrlBytes => 512 * 1024;

    /// <summary>Whether a failure is one <see cref="ServerClickHouse"/> retries: the server did not answer.</summary>
    public static bool IsTransient(Exception e) => e is ClickHouseUnavailableException;

    public async Task ExecuteAsync(string sql, QueryParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.ExecuteNonQueryAsync(sql, ToCollection(parameters), Options(), cancellationToken);
        }
        catch (ClickHouseServerException e)
        {
            throw new ClickHouseQueryException(e.Message, sql, e);
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            throw Unavailable(e);
        }
    }

    public async Task ExecuteOutsideDatabaseAsync(string sql, QueryParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.ExecuteNonQueryAsync(sql, ToCollection(parameters), new QueryOptions { Database = "default" }, cancellationToken);
        }
        catch (ClickHouseServerException e)
        {
            throw new ClickHouseQueryException(e.Message, sql, e);
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            throw Unavailable(e);
        }
    }

    public Task<string> QueryAsync(string sql, string format, QueryParameters? parameters = null, CancellationToken cancellationToken = default) =>
        _retry.ExecuteAsync(async ct => await QueryOnceAsync(sql, format, parameters, ct), cancellationToken).AsTask();

    private async Task<string> QueryOnceAsync(string sql, string format, QueryParameters? parameters, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = client.CreateConnection();
            // Reads run in CostOps' database like every other statement (the connection string names none, so a read
            // went to the server's default database: found running against serve --clickhouse-http).
            connection.ChangeDatabase(Database);
            await using var command = connection.CreateCommand();
            command.CommandText = $"{sql.TrimEnd().TrimEnd(';')}\nFORMAT {ClickHouseInsert.CheckOutputFormat(format)}";
            foreach (var (name, value) in parameters ?? QueryParameters.None) command.AddParameter(name, value);
            using var result = await command.ExecuteRawResultAsync(cancellationToken);
            return await result.ReadAsStringAsync();
        }
        catch (ClickHouseServerException e)
        {
            throw new ClickHouseQueryException(e.Message, sql, e);
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            throw Unavailable(e);
        }
    }

    public Task InsertAsync(string table, string format, ReadOnlyMemory<byte> rows, string? deduplicationToken = null, CancellationToken cancellationToken = default) =>
        deduplicationToken is null
            ? InsertOnceAsync(table, format, rows, null, cancellationToken)
            : _retry.ExecuteAsync(async ct => await InsertOnceAsync(table, format, rows, deduplicationToken, ct), cancellationToken).AsTask();

    private async Task InsertOnceAsync(string table, string format, ReadOnlyMemory<byte> rows, string? deduplicationToken, CancellationToken cancellationToken)
    {
        var settings = ClickHouseInsert.Settings.ToDictionary(s => s.Name, s => (object)s.Value);
        if (deduplicationToken is not null)
        {
            settings["insert_deduplication_token"] = ClickHouseInsert.CheckToken(deduplicationToken);
        }
        var options = new QueryOptions { Database = Database, CustomSettings = settings };
        try
        {
            using var stream = new MemoryStream(rows.ToArray(), writable: false);
            using var response = await client.InsertRawStreamAsync(table, stream, ClickHouseInsert.CheckFormat(format), null!, true, options, cancellationToken);
            response.EnsureSuccessStatusCode();
        }
        catch (ClickHouseServerException e)
        {
            throw new ClickHouseQueryException(e.Message, table, e);
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            throw Unavailable(e);
        }
    }

    /// <summary>The server did not answer: no connection, or no answer in time (the caller did not cancel).</summary>
    private static bool Unreachable(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException || (e is TaskCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested);

    private ClickHouseUnavailableException Unavailable(Exception e) =>
        new($"ClickHouse ({Database}) did not answer: {e.Message}", e);

    private QueryOptions Options() => new() { Database = Database };

    private static ClickHouseParameterCollection? ToCollection(QueryParameters? parameters)
    {
        if (parameters is null || parameters.Count == 0) return null;
        var collection = new ClickHouseParameterCollection();
        foreach (var (name, value) in parameters) collection.AddParameter(name, value);
        return collection;
    }

    public void Dispose() => client.Dispose();
}
