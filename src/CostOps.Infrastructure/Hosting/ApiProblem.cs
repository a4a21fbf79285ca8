using System.Text.Json;

namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// One kind of error the HTTP API answers with, as an RFC 9457 problem: a stable <see cref="Type"/> (clients branch on
/// it, never on the wording), the status, and a title that is the same for every answer of the kind; what went wrong
/// this time is the <c>detail</c>. Every error of both hosts is one of <see cref="All"/> (docs/api-errors.md lists them).
/// </summary>
public sealed record ApiProblem(int Status, string Slug, string Title)
{
    /// <summary>A URN, not a URL: stable and never dereferenced (RFC 9457 allows any URI reference).</summary>
    public string Type => "urn:costops:problem:" + Slug;

    public static readonly ApiProblem BadRequest = new(400, "bad-request", "Bad request");
    public static readonly ApiProblem NoEventAccepted = new(400, "no-event-accepted", "No event accepted");
    public static readonly ApiProblem Unauthorized = new(401, "unauthorized", "Unauthorized");
    public static readonly ApiProblem Forbidden = new(403, "forbidden", "Forbidden");
    public static readonly ApiProblem NotFound = new(404, "not-found", "Not found");
    public static readonly ApiProblem Conflict = new(409, "conflict", "Conflict");
    public static readonly ApiProblem PreconditionFailed = new(412, "precondition-failed", "Precondition failed");
    public static readonly ApiProblem PayloadTooLarge = new(413, "payload-too-large", "Payload too large");
    public static readonly ApiProblem TooManyEvents = new(413, "too-many-events", "Too many events");
    public static readonly ApiProblem StorageUnavailable = new(503, "storage-unavailable", "Storage unavailable");
    public static readonly ApiProblem ClickHouseUnavailable = new(503, "clickhouse-unavailable", "ClickHouse unavailable");
    public static readonly ApiProblem TablesUnavailable = new(503, "tables-unavailable", "Azure Tables unavailable");
    public static readonly ApiProblem IngestionBusy = new(503, "ingestion-busy", "Ingestion busy");
    public static readonly ApiProblem SecretsUnavailable = new(503, "secrets-unavailable", "Secrets unavailable");

    public static IReadOnlyList<ApiProblem> All { get; } =
        [BadRequest, NoEventAccepted, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, PayloadTooLarge, TooManyEvents, StorageUnavailable, ClickHouseUnavailable, TablesUnavailable, IngestionBusy, SecretsUnavailable];

    /// <summary>Seconds a client should wait before retrying a 503 (sent as Retry-After).</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>This problem as an answer; <paramref name="extensions"/> writes extension members after the standard ones.</summary>
    public ApiResult Result(string detail, Action<Utf8JsonWriter>? extensions = null) =>
        new(Status, Json(detail, extensions), RetryAfterSeconds: Status == 503 ? RetryAfterSeconds : null);

    /// <summary>The problem body: type, title, status, detail, then the extension members.</summary>
    public string Json(string detail, Action<Utf8JsonWriter>? extensions = null) => ApiJson.Object(w =>
    {
        WriteMembers(w, detail);
        extensions?.Invoke(w);
    });

    /// <summary>The standard members, for a body that carries more (the usage route's per-event results).</summary>
    public void WriteMembers(Utf8JsonWriter w, string detail)
    {
        w.WriteString("type", Type);
        w.WriteString("title", Title);
        w.WriteNumber("status", Status);
        w.WriteString("detail", detail);
    }
}
