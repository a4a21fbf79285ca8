using System.Text.Json;
using CostOps.Core.Access;
using CostOps.Core.Ingestion;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>
/// <c>POST /api/usage</c>, host-neutral: the Functions trigger and <c>costops serve</c> both hand it the body.
/// Answers 200 with a result per event (accepted, duplicate, rejected with reason) when anything was taken,
/// 400 when every event was rejected, 413 past the body limit, and 503 with Retry-After when the events could not be
/// made durable or the ingestion queue is full (nothing was kept, so the producer's retry loses and doubles nothing).
/// With <c>Ingestion:Acknowledge=Logged</c> (<see cref="LoggedIngestion"/>) a request that took anything is answered 202
/// once it is in the durable log, before it reaches ClickHouse.
/// </summary>
public sealed class UsageApi(IUsageBatchHandler handler, IOptions<IngestionOptions> options, ILogger<UsageApi> logger, LoggedIngestion? logged = null)
{
    public int MaxBodyBytes => options.Value.MaxBodyBytes;

    /// <summary>Seconds a caller refused with <c>ingestion-busy</c> should wait: the queue drains in well under that.</summary>
    public const int BusyRetryAfterSeconds = 1;

    /// <summary>Reads at most <see cref="MaxBodyBytes"/> + 1 bytes, so an oversized body is refused without holding it.</summary>
    public async Task<(byte[]? Body, ApiResult? TooLarge)> ReadBodyAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        if (contentLength > MaxBodyBytes) return (null, TooLarge());
        if (contentLength is { } length)
        {
            // The usual case (one event is a few hundred bytes): exactly the body, not an 80 KB chunk per request as well
            // (cleared and collected at thousands of requests/s; wrk at 64 connections, Logged: 4,180-5,307 -> 5,581-6,675 requests/s).
            var exact = new byte[length];
            await body.ReadExactlyAsync(exact, cancellationToken);
            return (exact, null);
        }
        using var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(81_920);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes) return (null, TooLarge());
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
        return (buffer.ToArray(), null);
    }

    /// <param name="tenants">The sender's tenants: events of others are rejected one by one (<c>tenant_not_allowed</c>).</param>
    public async Task<ApiResult> IngestAsync(ReadOnlyMemory<byte> body, string source, CancellationToken cancellationToken, TenantScope? tenants = null)
    {
        var fromLog = logged is { Enabled: true };
        IngestSummary summary;
        try
        {
            summary = fromLog
                ? await logged!.HandleAsync(body, source, tenants, cancellationToken)
                : await handler.HandleAsync([body], source, cancellationToken, tenants is null || tenants.IsAll ? null : tenants.Allows);
        }
        catch (IngestionBusyException e)
        {
            // A burst beyond what the writer keeps up with: refused before anything is kept, retried shortly.
            return ApiProblem.IngestionBusy.Result(e.Message) with { RetryAfterSeconds = BusyRetryAfterSeconds };
        }
        catch (Exception e) when (e is ClickHouseQueryException or IOException)
        {
            // ClickHouse (Stored) or the log's disk (Logged) did not take the batch.
            logger.LogError(e, "Usage batch from {Source} not stored", source);
            return ApiProblem.StorageUnavailable.Result("The events could not be stored; retry later (a retry counts nothing twice).");
        }

        if (summary.Outcomes is [{ Rejection.Code: RejectCodes.PayloadTooManyEvents } tooMany])
            return ApiProblem.TooManyEvents.Result(tooMany.Rejection!.Message + ".");

        // Nothing taken: a 400 problem body (RFC 9457) whose extension members are the usual per-event results.
        var refused = summary.Accepted + summary.Duplicates == 0 && summary.Rejected > 0;
        var json = ApiJson.Object(w =>
        {
            if (refused)
            {
                ApiProblem.NoEventAccepted.WriteMembers(w, "Every event was rejected; each result says why (code and reason).");
            }
            w.WriteNumber("accepted", summary.Accepted);
            w.WriteNumber("rejected", summary.Rejected);
            w.WriteNumber("duplicates", summary.Duplicates);
            w.WriteNumber("unpriced", summary.Unpriced);
            w.WriteStartArray("results");
            foreach (var o in summary.Outcomes.OrderBy(o => o.Index))
            {
                w.WriteStartObject();
                w.WriteNumber("index", o.Index);
                w.WriteString("status", o.Status);
                if (!string.IsNullOrEmpty(o.EventId)) w.WriteString("event_id", o.EventId);
                if (o.Rejection is { } r)
                {
                    w.WriteString("code", r.Code);
                    w.WriteString("reason", r.Message);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        // 202: in the durable log, not yet in ClickHouse (Logged).
        return new ApiResult(refused ? 400 : fromLog ? 202 : 200, json);
    }

    private ApiResult TooLarge() =>
        ApiProblem.PayloadTooLarge.Result($"The body is over {MaxBodyBytes:N0} bytes; send smaller batches.");
}
