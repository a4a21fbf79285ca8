using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CostOps.Infrastructure.ClickHouse.Embedded;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Infrastructure.ClickHouse.Http;

/// <summary>
/// The part of ClickHouse's HTTP interface that <c>curl</c>, ClickHouse clients and Grafana's ClickHouse plugin (HTTP
/// mode) use, answered by the embedded engine (<c>costops serve --clickhouse-http 127.0.0.1:PORT</c>): the query in the
/// URL (<c>?query=</c>) or the body, <c>database</c>, <c>default_format</c> (TabSeparated otherwise), <c>param_NAME</c>
/// values for <c>{NAME:Type}</c> placeholders, a body after a URL query as the data of an <c>INSERT ... FORMAT</c>, and
/// <c>GET /ping</c>. Errors carry ClickHouse's text and its code in <c>X-ClickHouse-Exception-Code</c>. Other URL
/// settings are not applied (the engine's session is shared with CostOps itself). It serves loopback only, with no
/// password, like <c>clickhouse-local</c>: any local process may read and change the data, as it could the files.
/// </summary>
public static partial class ClickHouseHttpInterface
{
    [GeneratedRegex(@"Code: (?<code>\d+)\.")]
    private static partial Regex ErrorCode();

    /// <summary><c>INSERT INTO target [(columns)] [SETTINGS ...] FORMAT name</c> with nothing after the format: its rows come in the body.</summary>
    [GeneratedRegex(@"^\s*INSERT\s+INTO\s+(?<target>.+?)\s+FORMAT\s+(?<format>\w+)\s*;?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex InsertWithData();

    /// <summary>
    /// The request line a host serving the interface must accept: ClickHouse clients put query parameters in the URL
    /// (a duplicate check's list of ids) and ClickHouse itself takes 1 MiB of it, where Kestrel stops at 8 KB.
    /// </summary>
    public const int MaxRequestLineBytes = 1 << 20;

    /// <summary>Maps the interface onto <paramref name="app"/> for requests to <paramref name="port"/> only.</summary>
    public static void MapClickHouseHttp(this WebApplication app, int port)
    {
        var host = $"*:{port}";
        app.MapGet("/ping", () => Results.Text("Ok.\n")).RequireHost(host);
        app.MapMethods("/", ["GET", "POST"], (HttpContext context) => AnswerAsync(context)).RequireHost(host);
    }

    /// <summary>Whether <paramref name="address"/> (<c>host:port</c>) is a loopback address, and its port.</summary>
    public static bool TryParseLoopback(string address, out int port)
    {
        port = 0;
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address[(colon + 1)..], out port) || port is < 1 or > 65_535) return false;
        var host = address[..colon].Trim('[', ']');
        return host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    private static async Task AnswerAsync(HttpContext context)
    {
        var engine = context.RequestServices.GetRequiredService<IClickHouse>() as EmbeddedClickHouse
            ?? throw new InvalidOperationException("The ClickHouse HTTP interface serves the embedded engine only.");
        var request = context.Request;
        // Clients compress what they send (ClickHouse.Driver gzips every body); answers go back uncompressed.
        Stream? decoded = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant() switch
        {
            "" or "identity" => request.Body,
            "gzip" => new GZipStream(request.Body, CompressionMode.Decompress),
            "deflate" => new ZLibStream(request.Body, CompressionMode.Decompress),
            "br" => new BrotliStream(request.Body, CompressionMode.Decompress),
            _ => null,
        };
        if (decoded is null)
        {
            await WriteErrorAsync(context, 415, "0", $"Content-Encoding '{request.Headers.ContentEncoding}' is not supported here (gzip, deflate, br).");
            return;
        }
        var body = new MemoryStream();
        await decoded.CopyToAsync(body, context.RequestAborted);
        var urlQuery = request.Query["query"].ToString();
        if (urlQuery.Length == 0 && body.Length == 0)
        {
            await WriteErrorAsync(context, 400, "62", "Empty query.");
            return;
        }
        var parameters = new QueryParameters();
        foreach (var (name, value) in request.Query)
        {
            // Values arrive in ClickHouse's escaped text form already, as a client sends them: passed on as they are.
            if (name.StartsWith("param_", StringComparison.Ordinal)) parameters.Add(name["param_".Length..], new EscapedParameter(value.ToString()));
        }
        var database = request.Query["database"].ToString() is { Length: > 0 } named ? named : engine.Database;
        var format = request.Query["default_format"].ToString() is { Length: > 0 } given ? given : "TabSeparated";
        byte[] output;
        string? dataFile = null;
        try
        {
            byte[] sql;
            if (urlQuery.Length > 0 && body.Length > 0 && InsertWithData().Match(urlQuery) is { Success: true } insert)
            {
                // As ClickHouse: the body is the INSERT's rows. Through a file, as EmbeddedClickHouse inserts, since chDB
                // misreads some binary rows given inline (Native, RowBinary: what ClickHouse.Driver sends).
                dataFile = Path.Combine(engine.InsertDirectory, $"http-{Guid.NewGuid():N}");
                await File.WriteAllBytesAsync(dataFile, body.ToArray(), context.RequestAborted);
                sql = Encoding.UTF8.GetBytes($"INSERT INTO {insert.Groups["target"].Value} FROM INFILE '{dataFile}'{InsertSettings(request.Query)} FORMAT {insert.Groups["format"].Value}");
            }
            else
            {
                // The query in the URL with text after it in the body, or the query in the body alone.
                sql = urlQuery.Length == 0 ? body.ToArray() : [.. Encoding.UTF8.GetBytes(urlQuery + "\n"), .. body.ToArray()];
            }
            output = engine.Engine.Query(database, sql, format, parameters.Count == 0 ? null : parameters);
        }
        catch (ClickHouseQueryException e)
        {
            var code = ErrorCode().Match(e.Message) is { Success: true } m ? m.Groups["code"].Value : "0";
            await WriteErrorAsync(context, StatusOf(code), code, e.Message);
            return;
        }
        finally
        {
            if (dataFile is not null) File.Delete(dataFile);
        }
        context.Response.ContentType = "text/plain; charset=UTF-8";
        context.Response.Headers["X-ClickHouse-Format"] = format;
        await context.Response.Body.WriteAsync(output, context.RequestAborted);
    }

    /// <summary>URL parameters the HTTP interface itself reads: every other one is a setting.</summary>
    private static readonly HashSet<string> InterfaceParameters = new(StringComparer.Ordinal)
    {
        "query", "database", "default_format", "user", "password", "quota_key", "query_id", "session_id", "session_timeout",
        "session_check", "compress", "decompress", "buffer_size", "wait_end_of_query", "stacktrace", "role", "client_protocol_version",
        "enable_http_compression", "http_zlib_compression_level", "send_progress_in_http_headers", "http_headers_progress_interval_ms",
    };

    [GeneratedRegex(@"^[a-z_][a-z0-9_]*\z")]
    private static partial Regex SettingName();

    /// <summary>
    /// As ClickHouse: an INSERT's URL settings apply to it (a client's <c>insert_deduplication_token</c> above all: the
    /// server transport's retries rely on it). Written as the statement's <c>SETTINGS</c> clause, each value a quoted
    /// literal (ClickHouse converts it to the setting's type), names held to the settings alphabet: nothing from the
    /// URL reaches the SQL unquoted.
    /// </summary>
    private static string InsertSettings(IQueryCollection query)
    {
        var settings = query
            .Where(p => !InterfaceParameters.Contains(p.Key) && !p.Key.StartsWith("param_", StringComparison.Ordinal) && SettingName().IsMatch(p.Key))
            .Select(p => $"{p.Key} = '{p.Value.ToString().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'")
            .ToList();
        return settings.Count == 0 ? "" : " SETTINGS " + string.Join(", ", settings);
    }

    /// <summary>ClickHouse's own choices for the commonest codes: a missing table or database 404, a bad query 400, else 500.</summary>
    private static int StatusOf(string code) => code switch
    {
        "60" or "81" => 404, // UNKNOWN_TABLE, UNKNOWN_DATABASE
        "62" or "47" or "46" or "43" or "36" or "456" => 400, // SYNTAX_ERROR, UNKNOWN_IDENTIFIER, UNKNOWN_FUNCTION, ILLEGAL_TYPE_OF_ARGUMENT, BAD_ARGUMENTS, UNKNOWN_QUERY_PARAMETER
        _ => 500,
    };

    private static async Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=UTF-8";
        context.Response.Headers["X-ClickHouse-Exception-Code"] = code;
        await context.Response.WriteAsync(message.TrimEnd() + "\n", context.RequestAborted);
    }
}

/// <summary>A parameter value already in ClickHouse's escaped text form (an HTTP client's <c>param_NAME</c>): not escaped again.</summary>
public sealed record EscapedParameter(string Text);
