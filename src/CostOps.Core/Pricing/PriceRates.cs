namespace CostOps.Core.Pricing;

/// <summary>
/// A <see cref="ModelPrice"/> turned into per-token rates for the four cases (base or above tier, standard or batch),
/// with every fallback rule already applied: computed once per price version so pricing a call is only multiplications.
/// </summary>
internal sealed class PriceRates
{
    private const decimal Million = 1_000_000m;
    private const decimal NanoPerMillion = 1_000_000_000m;
    private const decimal Femto = 1_000_000_000_000_000m;
    private readonly RateSet[] _sets = new RateSet[4];

    private readonly ModelPrice _price;
    private PriceRates? _priority;
    private PriceRates? _flex;

    public PriceRates(ModelPrice price)
    {
        _price = price;
        Threshold = price.TierThresholdTokens ?? long.MaxValue;
        HasBatch = price.HasBatchPrices;
        Units = price.Units;
        for (var i = 0; i < 4; i++) _sets[i] = Build(price, aboveTier: (i & 2) != 0, batch: (i & 1) != 0);
    }

    /// <summary>Per-unit prices (images, seconds, characters, web searches), or null.</summary>
    public UnitPrices? Units { get; }

    /// <summary>The rates of a service tier (built on first use: most models and calls never need them).</summary>
    public PriceRates ForServiceTier(ServiceTier tier) => tier switch
    {
        ServiceTier.Priority => _priority ??= Tiered(tier),
        ServiceTier.Flex => _flex ??= Tiered(tier),
        _ => this,
    };

    private PriceRates Tiered(ServiceTier tier)
    {
        var priced = _price.ForServiceTier(tier);
        return ReferenceEquals(priced, _price) ? this : new PriceRates(priced);
    }

    /// <summary>Input tokens strictly above this use the above-tier rates (long.MaxValue when the model has no tier).</summary>
    public long Threshold { get; }

    public bool HasBatch { get; }

    public ref readonly RateSet For(bool aboveTier, bool batch) => ref _sets[(aboveTier ? 2 : 0) + (batch && HasBatch ? 1 : 0)];

    private static RateSet Build(ModelPrice p, bool aboveTier, bool batch)
    {
        var tier = aboveTier ? p.AboveTier : null;
        var input = tier?.Input ?? p.Input;
        var output = tier?.Output ?? p.Output;
        var flags = aboveTier && p.AboveTier is not null ? PricingFlags.AboveTier : PricingFlags.None;
        if (batch && p.HasBatchPrices)
        {
            // Batch prices are components too: above the tier, a tier batch price wins, else the base batch price.
            input = tier?.BatchInput ?? p.BatchInput ?? input;
            output = tier?.BatchOutput ?? p.BatchOutput ?? output;
            flags |= PricingFlags.BatchPrices;
        }
        // A missing cache price bills at the input price in force for this call (tier and batch included).
        var cacheRead = tier?.CacheRead ?? p.CacheRead;
        var write5m = tier?.CacheWrite5m ?? p.CacheWrite5m;
        var write1h = tier?.CacheWrite1h ?? p.CacheWrite1h ?? write5m;
        var fee = p.RequestFee ?? 0m;
        var perMillion = new[] { input, cacheRead ?? input, write5m ?? input, write1h ?? input, output };

        var integral = perMillion.All(v => IsWhole(v * NanoPerMillion)) && IsWhole(fee * Femto);
        long Units(decimal v, decimal scale) => integral ? (long)(v * scale) : 0;
        return new RateSet(
            perMillion[0] / Million,
            perMillion[1] / Million,
            perMillion[2] / Million,
            perMillion[3] / Million,
            perMillion[4] / Million,
            fee,
            flags,
            CacheReadMissing: cacheRead is null,
            CacheWriteMissing: write5m is null)
        {
            Integral = integral,
            InputUnits = Units(perMillion[0], NanoPerMillion),
            CacheReadUnits = Units(perMillion[1], NanoPerMillion),
            CacheWrite5mUnits = Units(perMillion[2], NanoPerMillion),
            CacheWrite1hUnits = Units(perMillion[3], NanoPerMillion),
            OutputUnits = Units(perMillion[4], NanoPerMillion),
            RequestFeeUnits = Units(fee, Femto),
        };
    }

    // Whole and small enough that products with token counts stay far inside 128 bits.
    private static bool IsWhole(decimal v) => v >= 0 && v <= long.MaxValue && decimal.Truncate(v) == v;
}
