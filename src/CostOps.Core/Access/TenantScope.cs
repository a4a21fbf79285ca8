namespace CostOps.Core.Access;

/// <summary>
/// The tenants a caller may see and change: every tenant (<c>*</c>, the bootstrap key and keys made for all) or a
/// fixed set. Tenant names compare ordinally, as stored.
/// </summary>
public sealed class TenantScope
{
    public const string AllMarker = "*";

    private readonly HashSet<string>? _tenants;

    private TenantScope(HashSet<string>? tenants) => _tenants = tenants;

    public static TenantScope All { get; } = new(null);

    public static TenantScope Of(IEnumerable<string> tenants)
    {
        var set = new HashSet<string>(tenants, StringComparer.Ordinal);
        if (set.Contains(AllMarker)) return All;
        if (set.Count == 0) throw new ArgumentException("A tenant scope names at least one tenant (or * for all).", nameof(tenants));
        return new TenantScope(set);
    }

    public bool IsAll => _tenants is null;

    /// <summary>The tenants named, sorted; empty for <see cref="All"/>.</summary>
    public IReadOnlyList<string> Tenants => _tenants is null ? [] : _tenants.Order(StringComparer.Ordinal).ToList();

    /// <summary>A tenant a key may name: one that ingestion accepts (<see cref="Ingestion.DimensionNames"/>), at most 256 characters.</summary>
    public static bool IsValidName(string tenant) => tenant.Length <= 256 && Ingestion.DimensionNames.IsValidTenant(tenant);

    public bool Allows(string tenant) => _tenants is null || _tenants.Contains(tenant);

    /// <summary>The stored and shown form: <c>*</c> or the tenants joined by commas.</summary>
    public override string ToString() => IsAll ? AllMarker : string.Join(",", Tenants);
}
