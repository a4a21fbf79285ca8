using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.Admission;

/// <summary>Admission settings (section <c>Admission</c>); see docs/budgets.md, "Admission".</summary>
public sealed class AdmissionOptions
{
    public const string SectionName = "Admission";

    /// <summary>How long an unsettled reservation counts against its budgets (rounded up to the next whole minute). 1 minute..1 day.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long this instance uses its list of enforcing budgets before reading the budgets table again. 0..10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BudgetRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the period spend that did not come through admission (the baseline) is read from ClickHouse again, in the background. 1 second..10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SpendRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A StackExchange.Redis configuration string ("host:port,password=...,ssl=true"): when set, reservations and
    /// counters live in that Redis instead of the <c>admission</c> table (docs/budgets.md, "Ledgers"). Every instance
    /// must use the same ledger.
    /// </summary>
    public string? Redis { get; set; }
}
