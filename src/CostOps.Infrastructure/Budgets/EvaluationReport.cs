using CostOps.Core.Budgets;

namespace CostOps.Infrastructure.Budgets;

/// <summary>What one evaluation tick saw and did.</summary>
/// <param name="Enqueued">Alerts this tick put into the outbox (alerts another evaluator won are not in it).</param>
/// <param name="SpendQuery">Time spent in ClickHouse.</param>
public sealed record EvaluationReport(
    DateTimeOffset At,
    IReadOnlyList<BudgetStatus> Statuses,
    IReadOnlyList<BudgetAlert> Enqueued,
    TimeSpan Elapsed,
    TimeSpan SpendQuery);
