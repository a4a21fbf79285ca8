namespace CostOps.Core.Budgets;

/// <summary>
/// Which spend a budget counts: always one tenant, optionally narrowed by any of the other dimensions and by one
/// usage-event tag (key = value). A dimension left null matches every value.
/// </summary>
public sealed record BudgetScope(
    string Tenant,
    string? Project = null,
    string? User = null,
    string? Feature = null,
    string? Provider = null,
    string? Model = null,
    string? TagKey = null,
    string? TagValue = null)
{
    /// <summary>Tag budgets read raw usage events (rollups carry no tags), so they are evaluated by their own query.</summary>
    public bool HasTag => TagKey is not null;

    /// <summary>A short human form, e.g. <c>tenant=acme project=chat tag:team=search</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string> { $"tenant={Tenant}" };
        if (Project is not null) parts.Add($"project={Project}");
        if (User is not null) parts.Add($"user={User}");
        if (Feature is not null) parts.Add($"feature={Feature}");
        if (Provider is not null) parts.Add($"provider={Provider}");
        if (Model is not null) parts.Add($"model={Model}");
        if (TagKey is not null) parts.Add($"tag:{TagKey}={TagValue}");
        return string.Join(' ', parts);
    }
}
