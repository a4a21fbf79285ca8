using CostOps.Core.Admission;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Pricing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Admission;

/// <summary>
/// Admission: prices a call's worst case (input plus <c>max_output_tokens</c> of output, at the tenant's price, tiers
/// included, from the in-memory catalog), then reserves it on every enabled block or reroute budget whose scope covers
/// the call, each with one conditional write (<see cref="ReservationLedger"/>). A budget without room refuses the call
/// and the reservations already made for it are released. The usage event whose <c>event_id</c> is the request id
/// settles the reservations (<see cref="SettleAsync"/>); an unsettled one expires after
/// <see cref="AdmissionOptions.ReservationTtl"/>. Every refusal is recorded (<see cref="AdmissionRefusalLog"/>) before it is answered.
/// </summary>
public sealed class AdmissionService(
    EnforcingBudgets budgets, AdmissionBaselines baselines, ReservationLedger ledger, RerouteTargets reroutes, AdmissionRefusalLog refusals,
    IPriceCatalogSource prices, TokenEstimator tokens, TimeProvider time, IOptions<AdmissionOptions> options, ILogger<AdmissionService> logger)
{
    private sealed record Covered(Budget Budget, BudgetPeriod Period, decimal BaselineUsd);

    public async Task<AdmissionDecision> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var input = request.InputTokens ?? tokens.Count(request.Model, request.PromptText.AsSpan()).Tokens;
        var usage = AdmissionRules.WorstCase(input, request.MaxOutputTokens, estimatedInput: request.InputTokens is null);
        var model = request.Model;
        var catalog = await prices.CurrentAsync(cancellationToken);
        var cost = catalog.Price(request.Tenant, request.Provider, model, now, usage).Total;

        var covered = new List<Covered>();
        foreach (var budget in await budgets.ForTenantAsync(request.Tenant, cancellationToken))
        {
            if (!AdmissionRules.Covers(budget.Scope, request.Tenant, request.Project, request.User, request.Feature, request.Provider, request.Model)) continue;
            var period = BudgetPeriods.Current(budget, now);
            covered.Add(new Covered(budget, period, await baselines.ForAsync(budget, period, cancellationToken)));
        }
        if (covered.Count == 0) return new AdmissionDecision(AdmissionDecision.Allow, model, null, 0m, null, null, null);

        // Whether to reroute is taken on this instance's view of the counters; whether the call fits is then decided
        // on each counter as stored, with the rerouted price.
        foreach (var c in covered)
        {
            var committed = c.BaselineUsd + ledger.CachedCommittedUsd(c.Budget.Id, c.Period.Key, now);
            if (!AdmissionRules.PassesRerouteThreshold(c.Budget, committed, cost)) continue;
            if (await reroutes.TargetAsync(c.Budget, request, cancellationToken) is not { } target || target == model) continue;
            var cheaper = catalog.Price(request.Tenant, request.Provider, target, now, usage).Total;
            if (cheaper < cost) (model, cost) = (target, cheaper);
            break;
        }

        var bucket = BudgetCounter.ExpiryBucket(now, options.Value.ReservationTtl);
        var reserved = new List<Covered>();
        var tightest = (Covered: covered[0], Remaining: decimal.MaxValue);
        foreach (var c in covered)
        {
            var outcome = await ledger.TryReserveAsync(c.Budget.Id, c.Period.Key, request.RequestId, request.Tenant, model, cost, bucket, c.BaselineUsd,
                committed => AdmissionRules.Fits(c.Budget, committed, cost), cancellationToken);
            var remaining = c.Budget.LimitUsd - outcome.CommittedUsd;
            switch (outcome.Status)
            {
                case ReservationLedger.ReserveStatus.Denied:
                    await ReleaseAsync(reserved, request.RequestId, cancellationToken);
                    await RecordRefusalAsync(new AdmissionRefusal(now, c.Budget.Id, c.Period.Key, request.Tenant, request.RequestId, model, cost,
                        Math.Max(0m, remaining)), cancellationToken);
                    return new AdmissionDecision(AdmissionDecision.Deny, model, null, 0m, Math.Max(0m, remaining), c.Budget.Id, c.Period.End);
                case ReservationLedger.ReserveStatus.Duplicate:
                    await ReleaseAsync(reserved, request.RequestId, cancellationToken);
                    return await ExistingAsync(c, request, cancellationToken);
            }
            reserved.Add(c);
            if (remaining - cost < tightest.Remaining) tightest = (c, remaining - cost);
        }
        var decision = model == request.Model ? AdmissionDecision.Allow : AdmissionDecision.Reroute;
        return new AdmissionDecision(decision, model, request.RequestId, cost, tightest.Remaining, tightest.Covered.Budget.Id, tightest.Covered.Period.End);
    }

    /// <summary>
    /// Settles the reservations of stored usage events (event id = request id): the actual cost is charged to each budget
    /// the request reserved on and the rest released. Called before the events are written, so a settled figure read after
    /// a spend query covers every admitted call that query counted. A failure here is logged and never fails ingestion:
    /// the reservation then counts until it expires, and the stored event is counted as baseline spend.
    /// </summary>
    public async Task SettleAsync(IReadOnlyList<(string Tenant, string EventId, decimal CostUsd)> events, CancellationToken cancellationToken)
    {
        try
        {
            var candidates = new List<(Budget Budget, string EventId, decimal CostUsd)>();
            foreach (var (tenant, eventId, costUsd) in events)
            {
                foreach (var budget in await budgets.ForTenantAsync(tenant, cancellationToken)) candidates.Add((budget, eventId, costUsd));
            }
            if (candidates.Count == 0) return;
            await Parallel.ForEachAsync(candidates, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (c, ct) =>
            {
                if (await ledger.FindAsync(c.Budget.Id, c.EventId, ct) is { } reservation) await ledger.SettleAsync(reservation, c.CostUsd, ct);
            });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Reservations of {Count} events could not be settled; they count until they expire.", events.Count);
        }
    }

    private async Task ReleaseAsync(List<Covered> reserved, string requestId, CancellationToken cancellationToken)
    {
        foreach (var c in reserved)
        {
            if (await ledger.FindAsync(c.Budget.Id, requestId, cancellationToken) is { } reservation) await ledger.SettleAsync(reservation, 0m, cancellationToken);
        }
    }

    /// <summary>
    /// Records a refusal before it is answered. ClickHouse being down does not turn the refusal into an error: the
    /// budget's decision stands (answered 429) and the missing record is logged.
    /// </summary>
    private async Task RecordRefusalAsync(AdmissionRefusal refusal, CancellationToken cancellationToken)
    {
        try
        {
            await refusals.RecordAsync(refusal, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The refusal of {RequestId} by budget {BudgetId} could not be recorded; it is answered all the same.", refusal.RequestId, refusal.BudgetId);
        }
    }

    /// <summary>A request id asked again while its reservation is open: the same answer, nothing reserved twice.</summary>
    private async Task<AdmissionDecision> ExistingAsync(Covered c, AdmissionRequest request, CancellationToken cancellationToken)
    {
        var existing = await ledger.FindAsync(c.Budget.Id, request.RequestId, cancellationToken);
        var model = existing?.Model ?? request.Model;
        var remaining = c.Budget.LimitUsd - c.BaselineUsd - ledger.CachedCommittedUsd(c.Budget.Id, c.Period.Key, time.GetUtcNow());
        return new AdmissionDecision(model == request.Model ? AdmissionDecision.Allow : AdmissionDecision.Reroute, model, request.RequestId,
            existing?.ReservedUsd ?? 0m, Math.Max(0m, remaining), c.Budget.Id, c.Period.End);
    }
}
