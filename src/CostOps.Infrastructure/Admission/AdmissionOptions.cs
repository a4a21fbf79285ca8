using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.Admission;

/// <summary>Admission settings (section <c>Admission</c>); see docs/budgets.md, "Admission".</summary>
public sealed class AdmissionOptions
{
    public const string SectionName = "Admission";

    /// <summary>How long an unsettled reservation counts against its budgets (rounded up to the next whole minute). 1 minute..1 day.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long this instance uses its list of enforcing budgets before checking the budgets table's change marker
    /// again (one point read; the list is read again only when a budget was written). 0..10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BudgetRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the list is used at most before it is read again whatever the marker says: a row edited in the table
    /// by hand (not through the API or CLI) does not move the marker. 0..1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan BudgetFullRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

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
