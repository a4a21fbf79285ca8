using CostOps.Core.Budgets;

namespace CostOps.Infrastructure.Budgets;

/// <summary>A budget as stored, with the ETag a conditional update or delete must present.</summary>
public sealed record StoredBudget(Budget Budget, string ETag, DateTimeOffset? UpdatedAt);
