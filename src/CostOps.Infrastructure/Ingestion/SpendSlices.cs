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

    /// <summary>
    /// The hours and days in groups spanning at most <paramref name="maxMonths"/> months each (rollups are partitioned
    /// by month, and ClickHouse refuses an insert touching more than its partition limit). One group when they fit.
    /// </summary>
    public IEnumerable<(DateTimeOffset[] Hours, DateOnly[] Days)> ByMonthChunks(int maxMonths)
    {
        var months = _hours.Select(h => h.Year * 100 + h.Month).Distinct().Order().ToList();
        if (months.Count <= maxMonths)
        {
            yield return (_hours.ToArray(), _days.ToArray());
            yield break;
        }
        foreach (var chunk in months.Chunk(maxMonths))
        {
            var wanted = chunk.ToHashSet();
            yield return (_hours.Where(h => wanted.Contains(h.Year * 100 + h.Month)).ToArray(),
                _days.Where(d => wanted.Contains(d.Year * 100 + d.Month)).ToArray());
        }
    }
}
