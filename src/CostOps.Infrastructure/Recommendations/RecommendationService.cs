using System.Diagnostics;
using Azure;
using CostOps.Core.Recommendations;
using CostOps.Infrastructure.Ingestion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>
/// Runs the analysis (read the window, re-price, write a versioned set) and answers what the hosts ask: the current
/// recommendations with their decisions, accept/dismiss, and the routing policy of a project. The CLI, the Functions
/// app and <c>costops serve</c> all call these methods.
/// </summary>
public sealed class RecommendationService(
    UsageProfileReader profiles,
    BudgetPressureReader budgets,
    RecommendationRepository repository,
    RecommendationStateStore decisions,
    IPriceCatalogSource prices,
    TimeProvider time,
    IOptions<RecommendationOptions> options,
    ILogger<RecommendationService> logger,
    Telemetry.CostOpsTelemetry? telemetry = null)
{
    /// <summary>Analyses the last <paramref name="days"/> days (default from options) and, when <paramref name="persist"/>, writes the run.</summary>
    public async Task<RecommendationRun> RunAsync(int? days = null, string? tenant = null, bool scheduled = false, bool persist = true,
        CancellationToken cancellationToken = default)
    {
        using var measured = telemetry?.StartRecommendationRun(scheduled);
        var watch = Stopwatch.StartNew();
        var o = options.Value;
        var window = days ?? o.WindowDays;
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(days), "The window is at least one day.");
        var now = time.GetUtcNow();
        var catalog = prices.Current;
        var settings = o.ToSettings();

        var read = await profiles.ReadAsync(now.AddDays(-window), now, tenant, catalog, settings, cancellationToken);
        var queryElapsed = watch.Elapsed;
        var pressure = await BudgetPressureAsync(now, tenant, cancellationToken);
        var analysisStart = watch.Elapsed;
        var list = RecommendationEngine.Analyze(read, pressure, catalog, now, window, settings);
        var analysisElapsed = watch.Elapsed - analysisStart;
        // The id orders runs by time; the random tail keeps two runs at the same instant apart.
        var runId = $"{now.UtcDateTime:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}"[..27];
        var run = new RecommendationRun(runId, now, window, tenant ?? "", list, read.Count, watch.Elapsed, queryElapsed, analysisElapsed);
        var writeStart = watch.Elapsed;
        if (persist) await repository.WriteAsync(run, scheduled, cancellationToken);
        run = run with { WriteElapsed = watch.Elapsed - writeStart };
        logger.LogInformation("Recommendation run {RunId}: {Scopes} scopes, {Count} recommendations in {Elapsed} ms.",
            runId, read.Count, list.Count, (long)watch.Elapsed.TotalMilliseconds);
        measured?.Activity?.SetTag("costops.recommendations.scopes", read.Count);
        measured?.Activity?.SetTag("costops.recommendations.count", list.Count);
        measured?.Complete();
        return run with { Elapsed = watch.Elapsed };
    }

    /// <summary>The latest run covering the tenant (all tenants when empty), narrowed to a project, with each recommendation's decision.</summary>
    public async Task<(RecommendationRun? Run, IReadOnlyDictionary<string, RecommendationDecision> Decisions)> CurrentAsync(
        string? tenant, string? project, CancellationToken cancellationToken = default)
    {
        var latest = await repository.LatestRunsAsync(tenant, 1, cancellationToken);
        if (latest.Count == 0) return (null, new Dictionary<string, RecommendationDecision>());
        var (runId, runAt, windowDays) = latest[0];
        var run = await repository.ReadRunAsync(runId, runAt, windowDays, tenant, project, cancellationToken);
        var states = new Dictionary<string, RecommendationDecision>(StringComparer.Ordinal);
        foreach (var t in run!.Recommendations.Select(r => r.Tenant).Distinct(StringComparer.Ordinal))
        {
            foreach (var (id, d) in await decisions.ListAsync(t, cancellationToken)) states[id] = d;
        }
        return (run, states);
    }

    /// <summary>Accepts or dismisses a recommendation of the tenant's current set; null when it is not in that set.</summary>
    public async Task<RecommendationDecision?> DecideAsync(string tenant, string id, string state, string? note, string? ifMatch,
        CancellationToken cancellationToken = default)
    {
        var (run, _) = await CurrentAsync(tenant, null, cancellationToken);
        if (run is null || !run.Recommendations.Any(r => r.Id == id)) return null;
        return await decisions.SetAsync(tenant, id, state, note ?? "", time.GetUtcNow(), ifMatch, cancellationToken);
    }

    /// <summary>The model mapping a gateway should apply for a project (see <see cref="RoutingPolicy"/>).</summary>
    public async Task<RoutingPolicy> RoutingPolicyAsync(string tenant, string project, CancellationToken cancellationToken = default)
    {
        var (run, states) = await CurrentAsync(tenant, project, cancellationToken);
        return RoutingPolicy.From(tenant, project, run, states);
    }

    private async Task<IReadOnlyList<BudgetPressure>> BudgetPressureAsync(DateTimeOffset now, string? tenant, CancellationToken cancellationToken)
    {
        try
        {
            return await budgets.ReadAsync(now, tenant, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            // Budgets live in Azure Tables; without them the other kinds are still worth producing.
            logger.LogWarning(e, "Budgets could not be read; this run has no budget-pressure recommendations.");
            return [];
        }
    }
}
