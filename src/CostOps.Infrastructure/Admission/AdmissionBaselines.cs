using System.Collections.Concurrent;
using CostOps.Core.Admission;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Budgets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Admission;

/// <summary>
/// Each enforcing budget's baseline for its current period (period spend in ClickHouse that did not come through
/// admission, <see cref="AdmissionRules.Baseline"/>), kept in memory so no admission queries ClickHouse. All budgets are
/// read together (the evaluator's grouped spend query, then each counter's settled figure) every
/// <see cref="AdmissionOptions.SpendRefreshInterval"/> in the background; a budget or period not seen yet waits for one
/// such read (shared by every caller that needs it).
/// </summary>
public sealed class AdmissionBaselines(
    EnforcingBudgets budgets, BudgetSpendReader spendReader, ReservationLedger ledger, TimeProvider time,
    IOptions<AdmissionOptions> options, ILogger<AdmissionBaselines> logger)
{
    private readonly ConcurrentDictionary<(string Budget, string Period), decimal> _baselines = new();
    private readonly Lock _gate = new();
    private Task? _refresh;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public async ValueTask<decimal> ForAsync(Budget budget, BudgetPeriod period, CancellationToken cancellationToken)
    {
        if (_baselines.TryGetValue((budget.Id, period.Key), out var baseline))
        {
            if (time.GetUtcNow() - _readAt >= options.Value.SpendRefreshInterval) _ = RefreshInBackground();
            return baseline;
        }
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await RefreshInBackground().WaitAsync(cancellationToken);
            if (_baselines.TryGetValue((budget.Id, period.Key), out baseline)) return baseline;
        }
        // Not among the enforcing budgets this instance knows yet (added elsewhere a moment ago): read it alone.
        await RefreshAsync([budget], cancellationToken);
        return _baselines.GetValueOrDefault((budget.Id, period.Key));
    }

    /// <summary>The shared refresh in flight, or a new one; failures are logged and leave the previous figures in place.</summary>
    private Task RefreshInBackground()
    {
        lock (_gate)
        {
            if (_refresh is { IsCompleted: false } running) return running;
            return _refresh = Task.Run(async () =>
            {
                try
                {
                    await RefreshAsync((await budgets.AllAsync(CancellationToken.None)).ToList(), CancellationToken.None);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Admission baselines could not be refreshed; the figures read at {ReadAt} stay in use.", _readAt);
                }
            });
        }
    }

    private async Task RefreshAsync(IReadOnlyList<Budget> list, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var periods = list.Select(b => (Budget: b, Period: BudgetPeriods.Current(b, now))).ToList();
        var spend = periods.Count == 0 ? new Dictionary<string, BudgetSpend>() : await spendReader.ReadAsync(periods, now, cancellationToken);
        // Settled figures are read after the spend query: every admitted call it saw was settled before it was stored.
        var counters = await ledger.ReadManyAsync([.. periods.Select(p => (p.Budget.Id, p.Period.Key))], cancellationToken);
        for (var i = 0; i < periods.Count; i++)
        {
            _baselines[(periods[i].Budget.Id, periods[i].Period.Key)] = AdmissionRules.Baseline(spend[periods[i].Budget.Id].PeriodSpendUsd, counters[i].SettledUsd);
        }
        if (list.Count > 1 || _readAt == DateTimeOffset.MinValue) _readAt = now;
    }
}
