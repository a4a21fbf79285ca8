namespace CostOps.Core.Pricing;

/// <summary>A price version as named fields (the catalog file's names), for diffs and listings.</summary>
public static class PriceFields
{
    /// <summary>Every price field with its value (null where the version has none), in a stable order.</summary>
    public static IEnumerable<(string Field, decimal? Value)> Of(ModelPrice p)
    {
        yield return ("input", p.Input);
        yield return ("output", p.Output);
        yield return ("cache_read", p.CacheRead);
        yield return ("cache_write_5m", p.CacheWrite5m);
        yield return ("cache_write_1h", p.CacheWrite1h);
        yield return ("batch_input", p.BatchInput);
        yield return ("batch_output", p.BatchOutput);
        yield return ("tier_threshold_tokens", p.TierThresholdTokens);
        foreach (var (name, tier) in new[] { ("above_tier", p.AboveTier), ("priority", p.Priority), ("flex", p.Flex) })
        {
            yield return ($"{name}.input", tier?.Input);
            yield return ($"{name}.output", tier?.Output);
            yield return ($"{name}.cache_read", tier?.CacheRead);
            yield return ($"{name}.cache_write_5m", tier?.CacheWrite5m);
            yield return ($"{name}.cache_write_1h", tier?.CacheWrite1h);
            yield return ($"{name}.batch_input", tier?.BatchInput);
            yield return ($"{name}.batch_output", tier?.BatchOutput);
        }
        yield return ("request_fee", p.RequestFee);
        yield return ("units.image", p.Units?.Image);
        yield return ("units.second", p.Units?.Second);
        yield return ("units.character", p.Units?.Character);
        yield return ("units.web_search", p.Units?.WebSearch);
    }

    /// <summary>The fields whose values differ between two versions (old -> new).</summary>
    public static IReadOnlyList<CommunityMap.FieldChange> Diff(ModelPrice old, ModelPrice proposed) =>
        Of(old).Zip(Of(proposed))
            .Where(pair => pair.First.Value != pair.Second.Value)
            .Select(pair => new CommunityMap.FieldChange(pair.First.Field, pair.First.Value, pair.Second.Value))
            .ToList();
}
