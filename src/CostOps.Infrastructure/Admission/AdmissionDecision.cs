namespace CostOps.Infrastructure.Admission;

/// <summary>
/// What admission answers: <see cref="Allow"/> or <see cref="Reroute"/> (to <see cref="Model"/>) with the reservation
/// made, or <see cref="Deny"/> naming the budget that refused and when its period resets. <see cref="RemainingUsd"/> and
/// <see cref="BudgetId"/> are those of the tightest matching budget; both are null when no enforcing budget covers the call.
/// </summary>
public sealed record AdmissionDecision(string Decision, string Model, string? ReservationId, decimal ReservedUsd, decimal? RemainingUsd,
    string? BudgetId, DateTimeOffset? ResetsAt)
{
    public const string Allow = "allow";
    public const string Reroute = "reroute";
    public const string Deny = "deny";
}
