namespace CostOps.Core.Pricing;

/// <summary>
/// A tenant's own price for a (provider, model): a percentage discount on the catalog price in force, or explicit
/// prices (negotiated rates, provisioned deployments). Effective from <see cref="EffectiveFrom"/> (inclusive) to
/// <see cref="EffectiveTo"/> (exclusive, open when null).
/// </summary>
public sealed record PriceOverride
{
    public required string Tenant { get; init; }

    public required ProviderId Provider { get; init; }

    /// <summary>The canonical model id (as in the catalog).</summary>
    public required string Model { get; init; }

    public required DateOnly EffectiveFrom { get; init; }

    public DateOnly? EffectiveTo { get; init; }

    /// <summary>Discount in percent (15 means pay 85%), applied to every component of the catalog price in force.</summary>
    public decimal? DiscountPercent { get; init; }

    /// <summary>Explicit prices replacing the catalog's; their <see cref="ModelPrice.EffectiveFrom"/> is ignored.</summary>
    public ModelPrice? Prices { get; init; }

    /// <summary>The id stored with events this override priced.</summary>
    public string Id => $"override:{Tenant}/{Provider.OtelName()}/{Model}@{EffectiveFrom:yyyy-MM-dd}";

    /// <summary>Problems that make the override unusable (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if ((DiscountPercent is null) == (Prices is null)) problems.Add("give exactly one of discount_percent and explicit prices");
        if (DiscountPercent is < 0 or > 100) problems.Add("discount_percent must be between 0 and 100");
        if (EffectiveTo is { } to && to <= EffectiveFrom) problems.Add("effective_to must be after effective_from");
        if (string.IsNullOrWhiteSpace(Tenant)) problems.Add("tenant is required");
        if (Prices is not null) problems.AddRange(Prices.Validate());
        return problems;
    }
}
