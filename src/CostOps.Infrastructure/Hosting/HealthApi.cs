using System.Diagnostics;
using System.Text.Json.Nodes;
using CostOps.Infrastructure.Admission;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.EventHubs;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// <c>GET /api/health</c> for both hosts, one readiness check per dependency, each run every time: ClickHouse answers a
/// query, Azure Tables answers a read, the admission ledger's Redis answers a PING (only when admission uses one,
/// <c>Admission:Redis</c>), and no batch has waited unstored longer than
/// <see cref="EventHubsOptions.MaxPendingBatchAgeSeconds"/> (<see cref="IngestionBacklog"/>) and, with
/// <c>Ingestion:Acknowledge=Logged</c>, the durable log has room (fewer than <see cref="IngestionOptions.MaxLoggedEvents"/>
/// uncommitted events, past which requests are refused). 200 when every check
/// passes, 503 with Retry-After when one fails, so a load balancer or an availability test needs only the status. The
/// route is anonymous, so an anonymous caller hears the status of each check and nothing else; an admin caller also gets
/// the details (ClickHouse's version, each check's duration, the kind of failure, the backlog's figures).
/// </summary>
public sealed class HealthApi(IClickHouse clickHouse, SqlCatalog catalog, TableStorage tables, IngestionBacklog backlog,
    IOptions<EventHubsOptions> eventHubs, ILogger<HealthApi> logger, ReservationLedger? ledger = null, LoggedIngestion? logged = null)
{
    /// <summary>A check that has not answered by then counts as failed (a health probe must answer quickly).</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <param name="details">Whether the caller may see more than each check's status (an authenticated admin).</param>
    public async Task<ApiResult> CheckAsync(bool details, CancellationToken cancellationToken)
    {
        var clickHouseCheck = RunAsync("clickhouse", async ct => (await clickHouse.QueryAsync(catalog.Get(SqlNames.Health.Version), "TSV", cancellationToken: ct)).Trim(), cancellationToken);
        var tablesCheck = RunAsync("tables", async ct =>
        {
            await foreach (var _ in tables.Service.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages(pageSizeHint: 1)) break;
            return null;
        }, cancellationToken);
        var redisCheck = ledger is RedisReservationLedger redis
            ? RunAsync("redis", async ct => $"{(await redis.PingAsync(ct)).TotalMilliseconds:0.0} ms", cancellationToken)
            : null;
        var (clickHouseResult, tablesResult) = (await clickHouseCheck, await tablesCheck);
        var redisResult = redisCheck is null ? null : await redisCheck;

        var (pending, oldest) = backlog.Snapshot();
        var backlogOk = oldest <= TimeSpan.FromSeconds(eventHubs.Value.MaxPendingBatchAgeSeconds);
        var log = logged?.Log;
        var logOk = logged?.IsFull != true;
        var ingestionOk = backlogOk && logOk;
        var ingestion = new JsonObject
        {
            ["status"] = Status(ingestionOk),
            ["pending_batches"] = pending,
            ["oldest_pending_seconds"] = (long)oldest.TotalSeconds,
        };
        if (log is not null) ingestion["log_uncommitted_events"] = log.UncommittedEvents;
        if (!backlogOk) ingestion["error"] = $"a batch has waited unstored for more than {eventHubs.Value.MaxPendingBatchAgeSeconds} s";
        else if (!logOk) ingestion["error"] = "the ingestion log is full (Ingestion:MaxLoggedEvents or MaxLoggedBytes): ClickHouse is not taking its events";

        var healthy = clickHouseResult.Ok && tablesResult.Ok && ingestionOk && redisResult?.Ok != false;
        var body = details
            ? new JsonObject
            {
                ["status"] = Status(healthy),
                ["clickhouse"] = clickHouseResult.Value, // the version, as before the per-dependency checks
                ["checks"] = new JsonObject { ["clickhouse"] = clickHouseResult.ToJson(), ["tables"] = tablesResult.ToJson(), ["ingestion"] = ingestion },
            }
            : new JsonObject
            {
                // Readiness per dependency, nothing an anonymous caller could map the deployment with (versions, timings, errors).
                ["status"] = Status(healthy),
                ["checks"] = new JsonObject
                {
                    ["clickhouse"] = new JsonObject { ["status"] = Status(clickHouseResult.Ok) },
                    ["tables"] = new JsonObject { ["status"] = Status(tablesResult.Ok) },
                    ["ingestion"] = new JsonObject { ["status"] = Status(ingestionOk) },
                },
            };
        if (redisResult is not null) body["checks"]!["redis"] = details ? redisResult.ToJson("ping") : new JsonObject { ["status"] = Status(redisResult.Ok) };
        return new ApiResult(healthy ? 200 : 503, body.ToJsonString(), RetryAfterSeconds: healthy ? null : ApiProblem.RetryAfterSeconds, ContentType: "application/json");
    }

    private static string Status(bool ok) => ok ? "ok" : "unavailable";

    private sealed record CheckResult(bool Ok, string? Value, string? Error, long DurationMs)
    {
        /// <param name="valueName">What <see cref="Value"/> is (ClickHouse's version; Redis' ping time).</param>
        public JsonObject ToJson(string valueName = "version")
        {
            var json = new JsonObject { ["status"] = Ok ? "ok" : "unavailable", ["duration_ms"] = DurationMs };
            if (Value is not null) json[valueName] = Value;
            if (Error is not null) json["error"] = Error;
            return json;
        }
    }

    private async Task<CheckResult> RunAsync(string dependency, Func<CancellationToken, Task<string?>> check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var value = await check(timeout.Token);
            return new CheckResult(true, value, null, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Any failure of a dependency is the answer here, not an error of the probe. The route is anonymous: the
            // body names the kind of failure only, the log has the whole of it (addresses included).
            logger.LogWarning(e, "Health check of {Dependency} failed", dependency);
            var error = e is OperationCanceledException ? $"no answer within {CheckTimeout.TotalSeconds:0} s" : e.GetBaseException().GetType().Name;
            return new CheckResult(false, null, error, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
