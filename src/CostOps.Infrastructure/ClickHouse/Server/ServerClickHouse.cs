using ClickHouse.Driver;
using ClickHouse.Driver.ADO;
using ClickHouse.Driver.ADO.Parameters;
using ClickHouse.Driver.Utility;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CostOps.Infrastructure.ClickHouse.Server;

/// <summary>
/// <see cref="IClickHouse"/> over a ClickHouse server through ClickHouse.Driver's <see cref="ClickHouseClient"/>
/// (thread-safe, one per process). Parameters go to the server as <c>param_*</c> values, never into the SQL. A server
/// that does not answer is retried by <paramref name="retry"/> (<c>Resilience:ClickHouse</c>) for what is safe to
/// repeat: reads, and inserts carrying a deduplication token (the server drops a repeat of one that did land). Other
/// statements are not repeated: the caller sees <see cref="ClickHouseUnavailableException"/> at once. Every attempt,
/// retried or not, goes through <paramref name="guard"/> (<c>Resilience:ClickHouseCircuit</c>): a timeout per attempt,
/// and a circuit breaker that fails requests at once (<see cref="ClickHouseCircuitOpenException"/>) while the server
/// keeps failing.
/// </summary>
public sealed class ServerClickHouse(ClickHouseClient client, string database, ResiliencePipeline? retry = null, ResiliencePipeline? guard = null)
    : IClickHouse, IDisposable
{
    private readonly ResiliencePipeline _retry = retry ?? ResiliencePipeline.Empty;
    private readonly ResiliencePipeline _guard = guard ?? ResiliencePipeline.Empty;

    public string Database { get; } = database;

    /// <summary>Half of a server's 1 MiB URL (<c>http_max_uri_size</c>), the rest left for the query and other parameters.</summary>
    public int MaxParameterUrlBytes => 512 * 1024;

    /// <summary>
    /// Whether a failure is one <see cref="ServerClickHouse"/> retries: the server did not answer (not an open circuit:
    /// its pause is longer than the retries').
    /// </summary>
    public static bool IsTransient(Exception e) => e is ClickHouseUnavailableException and not ClickHouseCircuitOpenException;

    /// <summary>Whether a failure counts against the server for the circuit breaker: it did not answer.</summary>
    public static bool IsFailure(Exception e) => e is ClickHouseUnavailableException;

    public Task ExecuteAsync(string sql, QueryParameters? parameters = null, CancellationToken cancellationToken = default) =>
        RunAsync(sql, repeatable: false, async ct =>
        {
            await client.ExecuteNonQueryAsync(sql, ToCollection(parameters), Options(), ct);
            return true;
        }, cancellationToken);

    public Task ExecuteOutsideDatabaseAsync(string sql, QueryParameters? parameters = null, CancellationToken cancellationToken = default) =>
        RunAsync(sql, repeatable: false, async ct =>
        {
            await client.ExecuteNonQueryAsync(sql, ToCollection(parameters), new QueryOptions { Database = "default" }, ct);
            return true;
        }, cancellationToken);

    public Task<string> QueryAsync(string sql, string format, QueryParameters? parameters = null, CancellationToken cancellationToken = default) =>
        RunAsync(sql, repeatable: true, async ct =>
        {
            await using var connection = client.CreateConnection();
            // Reads run in CostOps' database like every other statement (the connection string names none, so a read
            // went to the server's default database: found running against serve --clickhouse-http).
            connection.ChangeDatabase(Database);
            await using var command = connection.CreateCommand();
            command.CommandText = $"{sql.TrimEnd().TrimEnd(';')}\nFORMAT {ClickHouseInsert.CheckOutputFormat(format)}";
            foreach (var (name, value) in parameters ?? QueryParameters.None) command.AddParameter(name, value);
            using var result = await command.ExecuteRawResultAsync(ct);
            return await result.ReadAsStringAsync();
        }, cancellationToken);

    public Task InsertAsync(string table, string format, ReadOnlyMemory<byte> rows, string? deduplicationToken = null, CancellationToken cancellationToken = default)
    {
        var settings = ClickHouseInsert.Settings.ToDictionary(s => s.Name, s => (object)s.Value);
        if (deduplicationToken is not null)
        {
            settings["insert_deduplication_token"] = ClickHouseInsert.CheckToken(deduplicationToken);
        }
        var options = new QueryOptions { Database = Database, CustomSettings = settings };
        return RunAsync(table, repeatable: deduplicationToken is not null, async ct =>
        {
            using var stream = new MemoryStream(rows.ToArray(), writable: false);
            using var response = await client.InsertRawStreamAsync(table, stream, ClickHouseInsert.CheckFormat(format), null!, true, options, ct);
            response.EnsureSuccessStatusCode();
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// One request: retried when <paramref name="repeatable"/>, each attempt through the guard. The driver's failures
    /// are translated here, for every statement: refused (<see cref="ClickHouseQueryException"/>, naming
    /// <paramref name="statement"/>), not answered, timed out or circuit open (<see cref="ClickHouseUnavailableException"/>).
    /// </summary>
    private async Task<T> RunAsync<T>(string statement, bool repeatable, Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken) =>
        repeatable
            ? await _retry.ExecuteAsync(async ct => await GuardedAsync(statement, send, ct), cancellationToken)
            : await GuardedAsync(statement, send, cancellationToken);

    private async Task<T> GuardedAsync<T>(string statement, Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await _guard.ExecuteAsync(async ct =>
            {
                try
                {
                    return await send(ct);
                }
                catch (ClickHouseServerException e)
                {
                    throw new ClickHouseQueryException(e.Message, statement, e);
                }
                catch (Exception e) when (Unreachable(e, ct))
                {
                    throw Unavailable(e);
                }
            }, cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new ClickHouseUnavailableException($"ClickHouse ({Database}) did not answer within {e.Timeout}.", e);
        }
        catch (BrokenCircuitException e)
        {
            throw new ClickHouseCircuitOpenException($"ClickHouse ({Database}) failed repeatedly; requests pause{(e.RetryAfter is { } after ? $" for {after.TotalSeconds:0.#} s" : "")}.", e);
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
