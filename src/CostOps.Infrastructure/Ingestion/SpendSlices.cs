namespace CostOps.Infrastructure.Ingestion;

/// <summary>The (tenant, hour) and (tenant, day) slices of spend a set of events touches: what rollups must recompute.</summary>
public sealed class SpendSlices
{
    private readonly HashSet<string> _tenants = new(StringComparer.Ordinal);
    private readonly HashSet<DateTimeOffset> _hours = [];
    private readonly HashSet<DateOnly> _days = [];

    public bool IsEmpty => _tenants.Count == 0;

    public IReadOnlyCollection<string> Tenants => _tenants;

    public IReadOnlyCollection<DateTimeOffset> Hours => _hours;

    public IReadOnlyCollection<DateOnly> Days => _days;

    public void Add(string tenant, DateTimeOffset timestamp)
    {
        _tenants.Add(tenant);
        var utc = timestamp.UtcDateTime;
        _hours.Add(new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero));
        _days.Add(DateOnly.FromDateTime(utc));
    }

    public void Add(SpendSlices other)
    {
        _tenants.UnionWith(other._tenants);
        _hours.UnionWith(other._hours);
        _days.UnionWith(other._days);
    }

    public void Clear()
    {
        _tenants.Clear();
        _hours.Clear();
        _days.Clear();
    }
}
