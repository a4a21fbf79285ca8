namespace CostOps.Infrastructure.Budgets;

/// <summary>The budget exists already (add) or changed since it was read (stale ETag): HTTP 409/412.</summary>
public sealed class BudgetConflictException(string message, bool preconditionFailed) : Exception(message)
{
    /// <summary>True for a stale ETag (412), false for an id that is taken (409).</summary>
    public bool PreconditionFailed { get; } = preconditionFailed;
}
