namespace CostOps.Core.Pricing;

/// <summary>
/// One price version of one (provider, model): USD per 1M tokens (per request for the fee), in force from
/// <see cref="EffectiveFrom"/> until the next version's date. Null components are not offered by the provider;
/// the cost rules (see <see cref="CostCalculator"/>) say what a missing component bills at.
/// </summary>
public sealed record ModelPrice
{
    /// <summary>Start of validity, UTC midnight of the date the price took effect.</summary>
    public required DateOnly EffectiveFrom { get; init; }

    /// <summary>Where the price comes from (a vendor's pricing page, a contract, "override").</summary>
    public string Source { get; init; } = "";

    /// <summary>Uncached input, USD per 1M tokens.</summary>
    public required decimal Input { get; init; }

    /// <summary>Output (reasoning included), USD per 1M tokens.</summary>
    public required decimal Output { get; init; }

    /// <summary>Cache reads, USD per 1M tokens; null bills cache reads at the input price (and says so).</summary>
    public decimal? CacheRead { get; init; }

    /// <summary>Cache writes with the default (5 minute) lifetime, USD per 1M tokens; null bills them at the input price.</summary>
    public decimal? CacheWrite5m { get; init; }

    /// <summary>Cache writes with a 1 hour lifetime (Anthropic), USD per 1M tokens; null falls back to <see cref="CacheWrite5m"/>.</summary>
    public decimal? CacheWrite1h { get; init; }

    /// <summary>Batch API input, USD per 1M tokens; null means batch calls pay <see cref="Input"/>.</summary>
    public decimal? BatchInput { get; init; }

    /// <summary>Batch API output, USD per 1M tokens; null means batch calls pay <see cref="Output"/>.</summary>
    public decimal? BatchOutput { get; init; }

    /// <summary>Long-context threshold on total input tokens; calls strictly above it use <see cref="AboveTier"/>.</summary>
    public long? TierThresholdTokens { get; init; }

    /// <summary>Prices above <see cref="TierThresholdTokens"/>; components left null keep the base price.</summary>
    public TierPrices? AboveTier { get; init; }

    /// <summary>Fee per request, USD (not per million).</summary>
    public decimal? RequestFee { get; init; }

    /// <summary>Priority-processing prices (OpenAI <c>service_tier: priority</c>); null components keep the base price.</summary>
    public TierPrices? Priority { get; init; }

    /// <summary>Flex-processing prices (OpenAI <c>service_tier: flex</c>); null components keep the base price.</summary>
    public TierPrices? Flex { get; init; }

    /// <summary>Prices of units that are not tokens (images, seconds, characters, web searches).</summary>
    public UnitPrices? Units { get; init; }

    /// <summary>Whether a batch call gets batch prices from this version.</summary>
    public bool HasBatchPrices => BatchInput is not null || BatchOutput is not null;

    /// <summary>This price with every component multiplied by <paramref name="factor"/> (a discount of 15% is 0.85).</summary>
    public ModelPrice Scaled(decimal factor) => factor == 1m ? this : this with
    {
        Input = Input * factor,
        Output = Output * factor,
        CacheRead = CacheRead * factor,
        CacheWrite5m = CacheWrite5m * factor,
        CacheWrite1h = CacheWrite1h * factor,
        BatchInput = BatchInput * factor,
        BatchOutput = BatchOutput * factor,
        RequestFee = RequestFee * factor,
        AboveTier = AboveTier?.Scaled(factor),
        Priority = Priority?.Scaled(factor),
        Flex = Flex?.Scaled(factor),
        Units = Units?.Scaled(factor),
    };

    /// <summary>
    /// The prices a call at <paramref name="tier"/> pays: the tier's components over the base ones (the long-context
    /// tier keeps its own prices, as the providers publish no tier-specific ones beyond what the map lists).
    /// </summary>
    public ModelPrice ForServiceTier(ServiceTier tier) => (tier switch
    {
        ServiceTier.Priority => Priority,
        ServiceTier.Flex => Flex,
        _ => null,
    }) is { } t
        ? this with
        {
            Input = t.Input ?? Input,
            Output = t.Output ?? Output,
            CacheRead = t.CacheRead ?? CacheRead,
            CacheWrite5m = t.CacheWrite5m ?? CacheWrite5m,
            CacheWrite1h = t.CacheWrite1h ?? CacheWrite1h,
            Priority = null,
            Flex = null,
        }
        : this;

    /// <summary>Whether two versions charge the same for everything (dates and sources aside).</summary>
    public bool SamePricesAs(ModelPrice other) =>
        this with { EffectiveFrom = default, Source = "" } == other with { EffectiveFrom = default, Source = "" };

    /// <summary>Checks the invariants the calculator relies on; returns the problems found (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void NonNegative(string name, decimal? value)
        {
            if (value < 0) problems.Add($"{name} is negative");
        }
        NonNegative("input", Input);
        NonNegative("output", Output);
        NonNegative("cache_read", CacheRead);
        NonNegative("cache_write_5m", CacheWrite5m);
        NonNegative("cache_write_1h", CacheWrite1h);
        NonNegative("batch_input", BatchInput);
        NonNegative("batch_output", BatchOutput);
        NonNegative("request_fee", RequestFee);
        if (AboveTier is { } tier)
        {
            if (TierThresholdTokens is null) problems.Add("above_tier is set without tier_threshold_tokens");
            NonNegative("above_tier.input", tier.Input);
            NonNegative("above_tier.output", tier.Output);
            NonNegative("above_tier.cache_read", tier.CacheRead);
            NonNegative("above_tier.cache_write_5m", tier.CacheWrite5m);
            NonNegative("above_tier.cache_write_1h", tier.CacheWrite1h);
        }
        if (TierThresholdTokens is < 0) problems.Add("tier_threshold_tokens is negative");
        foreach (var (name, t) in new[] { ("priority", Priority), ("flex", Flex) })
        {
            NonNegative($"{name}.input", t?.Input);
            NonNegative($"{name}.output", t?.Output);
            NonNegative($"{name}.cache_read", t?.CacheRead);
        }
        NonNegative("units.image", Units?.Image);
        NonNegative("units.second", Units?.Second);
        NonNegative("units.character", Units?.Character);
        NonNegative("units.web_search", Units?.WebSearch);
        return problems;
    }
}
