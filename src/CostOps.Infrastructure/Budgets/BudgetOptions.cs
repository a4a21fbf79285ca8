using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.Budgets;

/// <summary>Budget evaluation and status settings (section <c>Budgets</c>). Schedules are host settings: see docs/budgets.md.</summary>
public sealed class BudgetOptions
{
    public const string SectionName = "Budgets";

    /// <summary>How long <c>GET /api/budgets/{id}/status</c> answers from memory before asking ClickHouse again. 0..10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan StatusCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
