namespace CostOps.Core.Pricing.CommunityMap;

/// <summary>
/// Compares a pricing table with a price source (the community map) and applies the difference as new effective-dated
/// versions. A field the source lacks keeps our value (the map is incomplete, not authoritative on absence); a field
/// it has replaces ours. History is never rewritten: a changed price becomes a version from <c>effective</c> on, so traffic before
/// that date keeps its price; models gone from the source are reported and kept; pinned entries (hand-checked
/// corrections) are reported and left alone. Running the same sync again finds nothing to do.
/// </summary>
public static class PriceSync
{
    /// <summary>What syncing <paramref name="source"/> into <paramref name="current"/> at <paramref name="effective"/> would change.</summary>
    /// <param name="current">The pricing table's entries.</param>
    /// <param name="source">The source's entries (one version each).</param>
    /// <param name="effective">The date the source's prices take effect.</param>
    /// <param name="sourcePrefix">The start of the <see cref="ModelPrice.Source"/> of versions that came from this source (to tell which entries are gone from it).</param>
    public static PriceSyncPlan Plan(IReadOnlyList<CatalogModel> current, IEnumerable<CatalogModel> source, DateOnly effective, string sourcePrefix)
    {
        var index = new Dictionary<(ProviderId, string), CatalogModel>();
        foreach (var model in current)
        {
            index.TryAdd(Key(model.Provider, model.Model), model);
            foreach (var id in model.Ids) index.TryAdd(Key(model.Provider, id), model);
        }

        // Several source ids can name one of our entries (ours groups dated and regional ids): the one named like
        // the entry speaks for it, else the first.
        var matched = new Dictionary<CatalogModel, CatalogModel>(ReferenceEqualityComparer.Instance);
        var added = new List<CatalogModel>();
        foreach (var candidate in source)
        {
            if (!index.TryGetValue(Key(candidate.Provider, candidate.Model), out var existing))
            {
                added.Add(candidate with { Prices = [candidate.Prices[0] with { EffectiveFrom = effective }] });
                index[Key(candidate.Provider, candidate.Model)] = candidate;
                continue;
            }
            if (ReferenceEquals(existing, candidate)) continue;
            if (!matched.TryGetValue(existing, out var previous)
                || (!string.Equals(previous.Model, existing.Model, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(candidate.Model, existing.Model, StringComparison.OrdinalIgnoreCase)))
            {
                matched[existing] = candidate;
            }
        }

        var changed = new List<PriceChange>();
        var pinned = new List<PriceChange>();
        var after = new Dictionary<CatalogModel, ModelPrice>(ReferenceEqualityComparer.Instance);
        var unchanged = 0;
        foreach (var (existing, candidate) in matched)
        {
            var old = PriceCatalog.PriceAt(existing, Instant(effective));
            var proposed = Overlay(old, candidate.Prices[0]) with { EffectiveFrom = effective };
            after[existing] = existing.Pinned ? old : proposed;
            if (old.SamePricesAs(proposed))
            {
                unchanged++;
                continue;
            }
            var change = new PriceChange(existing, old, proposed, PriceFields.Diff(old, proposed));
            (existing.Pinned ? pinned : changed).Add(change);
        }

        // A dated or regional id (gpt-4o-2024-08-06, us.amazon.nova-pro-v1:0) that our resolution already maps to one
        // of our entries at the same price is another id of that entry, not a new model; at another price
        // (gpt-4o-2024-05-13) it is a model of its own.
        var fresh = added.Select(a => Key(a.Provider, a.Model)).ToHashSet();
        var aliases = new List<ModelIdAlias>();
        added.RemoveAll(candidate =>
        {
            if (Normalized(candidate, index, fresh) is not { } existing) return false;
            var price = after.TryGetValue(existing, out var p) ? p : PriceCatalog.PriceAt(existing, Instant(effective));
            if (!Overlay(price, candidate.Prices[0]).SamePricesAs(price)) return false;
            aliases.Add(new ModelIdAlias(existing.Provider, existing.Model, candidate.Model));
            return true;
        });

        var gone = current
            .Where(m => !matched.ContainsKey(m) && m.Prices.Any(p => p.Source.StartsWith(sourcePrefix, StringComparison.Ordinal)))
            .ToList();
        return new PriceSyncPlan(effective, added, changed, gone, pinned, unchanged) { Aliases = aliases };
    }

    /// <summary>
    /// The entries after applying a plan: added models, and for each change the new version (replacing a version of the
    /// same date, which only an earlier sync of the same day can have written). Nothing else moves.
    /// </summary>
    public static IReadOnlyList<CatalogModel> Apply(IReadOnlyList<CatalogModel> current, PriceSyncPlan plan)
    {
        var changes = plan.Changed.ToDictionary(c => Key(c.Model.Provider, c.Model.Model), c => c.New);
        var aliases = plan.Aliases.ToLookup(a => Key(a.Provider, a.Model), a => a.Id);
        var result = new List<CatalogModel>(current.Count + plan.Added.Count);
        foreach (var model in current)
        {
            var updated = changes.TryGetValue(Key(model.Provider, model.Model), out var p)
                ? model with { Prices = [.. model.Prices.Where(v => v.EffectiveFrom != p.EffectiveFrom), p] }
                : model;
            var ids = aliases[Key(model.Provider, model.Model)].Except(model.Ids, StringComparer.OrdinalIgnoreCase).ToList();
            result.Add(ids.Count == 0 ? updated : updated with { Ids = [.. model.Ids, .. ids] });
        }
        result.AddRange(plan.Added);
        return result;
    }

    // The existing entry (not one this plan adds) that a shortened form of the candidate's id names, if any.
    private static CatalogModel? Normalized(CatalogModel candidate, Dictionary<(ProviderId, string), CatalogModel> index, HashSet<(ProviderId, string)> fresh)
    {
        foreach (var id in ModelIdNormalizer.Candidates(candidate.Model).Skip(1))
        {
            if (index.TryGetValue(Key(candidate.Provider, id), out var existing) && !fresh.Contains(Key(existing.Provider, existing.Model))) return existing;
        }
        return null;
    }

    // The map lists what it knows: a field it lacks (a batch price, a 1-hour write) is unknown to it, not withdrawn by
    // the provider, so our value stays; a field it has replaces ours.
    private static ModelPrice Overlay(ModelPrice ours, ModelPrice map) => map with
    {
        CacheRead = map.CacheRead ?? ours.CacheRead,
        CacheWrite5m = map.CacheWrite5m ?? ours.CacheWrite5m,
        CacheWrite1h = map.CacheWrite1h ?? ours.CacheWrite1h,
        BatchInput = map.BatchInput ?? ours.BatchInput,
        BatchOutput = map.BatchOutput ?? ours.BatchOutput,
        TierThresholdTokens = map.TierThresholdTokens ?? ours.TierThresholdTokens,
        AboveTier = Overlay(ours.AboveTier, map.AboveTier),
        Priority = Overlay(ours.Priority, map.Priority),
        Flex = Overlay(ours.Flex, map.Flex),
        RequestFee = map.RequestFee ?? ours.RequestFee,
        Units = ours.Units is null || map.Units is null
            ? map.Units ?? ours.Units
            : new UnitPrices
            {
                Image = map.Units.Image ?? ours.Units.Image,
                Second = map.Units.Second ?? ours.Units.Second,
                Character = map.Units.Character ?? ours.Units.Character,
                WebSearch = map.Units.WebSearch ?? ours.Units.WebSearch,
            },
    };

    private static TierPrices? Overlay(TierPrices? ours, TierPrices? map) => ours is null || map is null
        ? map ?? ours
        : new TierPrices
        {
            Input = map.Input ?? ours.Input,
            Output = map.Output ?? ours.Output,
            CacheRead = map.CacheRead ?? ours.CacheRead,
            CacheWrite5m = map.CacheWrite5m ?? ours.CacheWrite5m,
            CacheWrite1h = map.CacheWrite1h ?? ours.CacheWrite1h,
            BatchInput = map.BatchInput ?? ours.BatchInput,
            BatchOutput = map.BatchOutput ?? ours.BatchOutput,
        };

    private static (ProviderId, string) Key(ProviderId provider, string id) => (provider, id.Trim().ToLowerInvariant());

    private static DateTimeOffset Instant(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
