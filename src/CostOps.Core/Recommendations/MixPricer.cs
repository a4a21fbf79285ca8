using CostOps.Core.Pricing;

namespace CostOps.Core.Recommendations;

/// <summary>
/// Re-prices token mixes at a model's prices in force at one instant, for one tenant (overrides and aliases included).
/// <para>
/// The rates are read off the catalog itself rather than recomputed from price fields: each rate is the matching
/// component of <see cref="PriceCatalog.Price"/> for a probe call with one token of that kind (above a tier, a probe
/// with threshold + 1 tokens, divided back exactly). So re-pricing follows the same cost rules as ingestion, fallbacks
/// (cache reads at the input price, batch without batch prices) and tenant overrides included, and cannot drift from
/// them. Pricing is linear per slice, so the aggregate cost equals the sum of per-call costs to the last digit.
/// </para>
/// </summary>
public sealed class MixPricer(PriceCatalog catalog, string tenant, DateTimeOffset at)
{
    // Keyed by entry identity: a CatalogModel record's structural hash walks all its members, and this is hot.
    private readonly Dictionary<CatalogModel, MixRates[]> _rates = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<CatalogModel, long?> _thresholds = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<CatalogModel, IReadOnlyList<CatalogModel>> _alternatives = new(ReferenceEqualityComparer.Instance);

    public PriceCatalog Catalog => catalog;

    /// <summary>The instant whose prices are used.</summary>
    public DateTimeOffset At => at;

    /// <summary>The entry a scope's (provider, model) names, or null when the catalog has no price for it.</summary>
    public CatalogModel? Resolve(string provider, string model) =>
        catalog.Resolve(tenant, provider, model) is { Found: true } r ? r.Model : null;

    /// <summary>The long-context threshold of the model's price in force, or null when it has none.</summary>
    public long? TierThreshold(CatalogModel model)
    {
        if (!_thresholds.TryGetValue(model, out var threshold)) _thresholds[model] = threshold = PriceCatalog.PriceAt(model, at).TierThresholdTokens;
        return threshold;
    }

    /// <summary>The catalog's other models of the same provider (computed once per model and tenant).</summary>
    public IReadOnlyList<CatalogModel> Alternatives(CatalogModel current)
    {
        if (!_alternatives.TryGetValue(current, out var list))
        {
            _alternatives[current] = list = catalog.Models
                .Where(m => m.Provider == current.Provider && !ReferenceEquals(m, current) && m.Model != current.Model)
                .ToList();
        }
        return list;
    }

    /// <summary>Whether the model's price in force offers batch prices (for this tenant).</summary>
    public bool HasBatchPrices(CatalogModel model) => Rates(model, aboveTier: false, batch: true).BatchPrices;

    /// <summary>A slice's cost at the model's prices; <paramref name="asBatch"/> prices it as batch calls whatever it was.</summary>
    public decimal Cost(CatalogModel model, MixSlice slice, bool? asBatch = null) =>
        RatesFor(model, slice, asBatch ?? slice.Batch).Cost(slice.Mix);

    /// <summary>The rates that apply to a slice at a model's prices.</summary>
    public MixRates RatesFor(CatalogModel model, MixSlice slice, bool batch)
    {
        var above = TierThreshold(model) is { } t && slice.InputAbove >= t;
        return Rates(model, above, batch);
    }

    public MixRates Rates(CatalogModel model, bool aboveTier, bool batch)
    {
        if (!_rates.TryGetValue(model, out var set)) _rates[model] = set = new MixRates[4];
        var slot = (aboveTier ? 2 : 0) + (batch ? 1 : 0);
        if (set[slot] is { } cached) return cached;
        var provider = model.Provider.OtelName();
        var threshold = aboveTier ? TierThreshold(model) : null;
        // Probe calls: n tokens of one kind (n = 1, or threshold + 1 so the call lands above the tier); the component
        // divided by n is that kind's per-token rate, exact because the component is n × rate computed exactly.
        var n = threshold is { } t ? t + 1 : 1;
        PricedCost Probe(UsageTokens usage) => catalog.Price(tenant, provider, model.Model, at, usage with { Batch = batch });

        var input = Probe(new UsageTokens(n, 0));
        var read = Probe(new UsageTokens(n, 0, CachedInput: n));
        var write = Probe(new UsageTokens(n, 0, CacheWrite: n));
        var output = Probe(new UsageTokens(n, 1));
        var rates = new MixRates(
            input.Components.Input / n,
            read.Components.CacheRead / n,
            write.Components.CacheWrite / n,
            output.Components.Output,
            input.Components.RequestFee,
            BatchPrices: batch && (input.Flags & PricingFlags.BatchPrices) != 0);
        set[slot] = rates;
        return rates;
    }
}
