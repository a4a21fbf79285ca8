using System.Collections.Concurrent;
using CostOps.Core.Budgets;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Budgets;

/// <summary>
/// The status a gateway asks for per request: served from memory for <see cref="BudgetOptions.StatusCacheDuration"/>
/// and recomputed with the same query and forecast as the evaluator (one budget) when stale.
/// </summary>
public sealed class BudgetStatusService(IBudgetStore store, BudgetSpendReader spendReader, Admission.ReservationLedger reservations, TimeProvider time, IOptions<BudgetOptions> options)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, BudgetStatus Status)> _cache = new(StringComparer.Ordinal);

    /// <summary>The budget's status, or null when there is no such budget.</summary>
    public async Task<BudgetStatus?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(id, out var hit) && hit.Expires > now) return hit.Status;
        var stored = await store.GetAsync(id, cancellationToken);
        if (stored is null)
        {
            _cache.TryRemove(id, out _);
            return null;
        }
        var budget = stored.Budget;
        var period = BudgetPeriods.Current(budget, now);
        var spend = (await spendReader.ReadAsync([(budget, period)], now, cancellationToken))[budget.Id];
        var forecast = BudgetForecast.AtPeriodEnd(period, now, spend.PeriodSpendUsd, spend.TrailingDaysUsd);
        // Reservations of calls admitted but not settled yet count until they settle or expire (docs/budgets.md, Admission).
        var reserved = budget.Action == BudgetAction.Alert ? 0m : (await reservations.ReadAsync(budget.Id, period.Key, cancellationToken)).ReservedUsd(now);
        var status = BudgetStatus.Of(budget, period, spend.PeriodSpendUsd, forecast, now, reserved) with { EstimatedSpendUsd = spend.PeriodEstimatedUsd };
        _cache[id] = (now + options.Value.StatusCacheDuration, status);
        return status;
    }

    /// <summary>Drops a cached status (after the budget changed), so the next read reflects the change.</summary>
    public void Invalidate(string id) => _cache.TryRemove(id, out _);
}
