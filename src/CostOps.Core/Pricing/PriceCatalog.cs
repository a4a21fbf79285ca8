using System.Collections.Concurrent;

namespace CostOps.Core.Pricing;

/// <summary>
/// The prices in force: catalog entries per (provider, model) with effective-dated versions, tenant overrides and
/// tenant model aliases. Immutable; a refreshed table builds a new instance and swaps it in.
/// <para>
/// Hot path: <see cref="Price"/> looks the raw (tenant, provider, model) strings up in a cache of earlier
/// resolutions (one dictionary probe, no allocation), picks the version in force by timestamp (a short scan over
/// precomputed per-token rates) and multiplies. Only a model string seen for the first time takes the slow path
/// (normalisation, aliases, overrides), whose result is then cached.
/// </para>
/// </summary>
public sealed class PriceCatalog
{
    /// <summary>Bounds the resolution cache so a producer sending random model strings cannot grow memory without limit.</summary>
    public const int MaxCachedResolutions = 100_000;

    // When an event names no provider, a model id shared by several providers means its maker's own API.
    private static readonly ProviderId[] ProviderPreference =
    [
        ProviderId.OpenAI, ProviderId.Anthropic, ProviderId.GcpGemini, ProviderId.MistralAI, ProviderId.DeepSeek,
        ProviderId.XAI, ProviderId.Cohere, ProviderId.AwsBedrock, ProviderId.GcpVertexAI, ProviderId.AzureOpenAI,
        ProviderId.AzureAIInference, ProviderId.Groq,
    ];

    private readonly Dictionary<string, Entry>[] _byProvider;
    private readonly Dictionary<string, Entry> _anyProvider = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Tenant, string Alias), ModelAlias> _aliases = new(TenantKeyComparer.Instance);
    private readonly Dictionary<(string Tenant, string Key), OverrideEntry[]> _overrides = new(TenantKeyComparer.Instance);
    private readonly Dictionary<(string Tenant, string Model), List<Entry>> _privateModels = new(TenantKeyComparer.Instance);
    private readonly ConcurrentDictionary<ResolutionKey, Target> _resolved = new(ResolutionKeyComparer.Instance);
    private readonly Entry?[]? _estimates;

    public PriceCatalog(
        IEnumerable<CatalogModel> models,
        IEnumerable<PriceOverride>? overrides = null,
        IEnumerable<ModelAlias>? aliases = null,
        string version = "",
        UnknownModelFallback? fallback = null)
    {
        Version = version;
        Fallback = fallback;
        _byProvider = new Dictionary<string, Entry>[Providers.Count];
        for (var i = 0; i < _byProvider.Length; i++) _byProvider[i] = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);

        var all = new List<CatalogModel>();
        foreach (var model in models)
        {
            if (model.Prices.Count == 0) throw new ArgumentException($"{model.Provider.OtelName()}/{model.Model} has no price.", nameof(models));
            var entry = new Entry(model);
            var index = _byProvider[(int)model.Provider];
            if (!index.TryAdd(model.Model, entry)) throw new ArgumentException($"{model.Provider.OtelName()}/{model.Model} appears twice.", nameof(models));
            foreach (var id in model.Ids) index.TryAdd(id, entry);
            all.Add(model);
        }
        foreach (var provider in ProviderPreference)
        {
            foreach (var (id, entry) in _byProvider[(int)provider]) _anyProvider.TryAdd(id, entry);
        }
        Models = all;

        foreach (var alias in aliases ?? [])
        {
            _aliases[(alias.Tenant, alias.Alias.Trim())] = alias;
        }
        foreach (var group in (overrides ?? []).GroupBy(o => (o.Tenant, OverrideKey(o.Provider, o.Model)), TenantKeyComparer.Instance))
        {
            var first = group.First();
            if (!_byProvider[(int)first.Provider].TryGetValue(first.Model, out var entry))
            {
                // A model the catalog lacks (a fine-tune, a private deployment): explicit prices make it a model of this
                // tenant only, priced while one of them is in force; a discount has nothing to apply to and is ignored.
                var explicitOnes = group.Where(o => o.Prices is not null).OrderBy(o => o.EffectiveFrom).ToList();
                if (explicitOnes.Count == 0) continue;
                entry = new Entry(new CatalogModel { Provider = first.Provider, Model = first.Model, Prices = [explicitOnes[0].Prices! with { EffectiveFrom = explicitOnes[0].EffectiveFrom }] }, isPrivate: true);
                var key = (first.Tenant, first.Model.Trim());
                if (!_privateModels.TryGetValue(key, out var list)) _privateModels[key] = list = [];
                list.Add(entry);
                _overrides[group.Key] = explicitOnes.Select(o => new OverrideEntry(o, entry)).ToArray();
                continue;
            }
            _overrides[group.Key] = group.OrderBy(o => o.EffectiveFrom).Select(o => new OverrideEntry(o, entry)).ToArray();
        }
        Overrides = (overrides ?? []).ToList();
        Aliases = (aliases ?? []).ToList();
        if (fallback is not null) _estimates = BuildEstimates(fallback);
    }

    /// <summary>How unknown models are estimated; null leaves them at 0 with status unknown_model.</summary>
    public UnknownModelFallback? Fallback { get; }

    /// <summary>The catalog (file or table) version these prices come from.</summary>
    public string Version { get; }

    public IReadOnlyList<CatalogModel> Models { get; }

    public IReadOnlyList<PriceOverride> Overrides { get; }

    public IReadOnlyList<ModelAlias> Aliases { get; }

    /// <summary>How many distinct raw (tenant, provider, model) strings have been resolved and cached.</summary>
    public int CachedResolutions => _resolved.Count;

    /// <summary>The entry for a provider and an exact id (canonical or listed), or null.</summary>
    public CatalogModel? Find(ProviderId provider, string model) =>
        _byProvider[(int)provider].TryGetValue(model, out var entry) ? entry.Model : null;

    /// <summary>Prices one call: resolution, the version in force at <paramref name="timestamp"/>, overrides, cost rules.</summary>
    /// <param name="tenant">The event's tenant (for aliases and overrides); null or empty for none.</param>
    /// <param name="provider">The provider as sent (OpenTelemetry name or alias); null when not sent.</param>
    /// <param name="model">The model as sent.</param>
    /// <param name="timestamp">When the call happened: picks the price version and override in force.</param>
    /// <param name="usage">The token counts.</param>
    public PricedCost Price(string? tenant, string? provider, string? model, DateTimeOffset timestamp, in UsageTokens usage)
    {
        var key = new ResolutionKey(tenant ?? "", provider ?? "", model ?? "");
        if (!_resolved.TryGetValue(key, out var target)) target = ResolveAndCache(key);
        var entry = target.Entry;
        if (entry is null) return PricedCost.Unknown(target.Provider);

        var ticks = timestamp.UtcTicks;
        var index = entry.VersionAt(ticks);
        var version = entry.Versions[index];
        var rates = version.Rates;
        string? overrideId = null;
        var extra = PricingFlags.None;
        if (target.Overrides is { } overrides && OverrideEntry.At(overrides, ticks) is { } active)
        {
            rates = active.RatesFor(index);
            overrideId = active.Id;
            extra = PricingFlags.Override;
        }
        else if (entry.IsPrivate)
        {
            // A tenant's private model has no catalog price to fall back to outside its overrides' dates.
            return PricedCost.Unknown(target.Provider);
        }

        var components = CostCalculator.Calculate(rates, usage, out var flags);
        if (target.Estimate)
        {
            // The stand-in's price, but not its name: spend stays grouped under the model string that was sent.
            return new PricedCost(PriceStatus.EstimatedPrice, target.Provider, null, version.EstimateId, null, components, flags);
        }
        var status = usage.Estimated ? PriceStatus.EstimatedTokens : PriceStatus.Priced;
        return new PricedCost(status, entry.Model.Provider, entry.Model.Model, version.VersionId, overrideId, components, flags | extra);
    }

    /// <summary>Resolves a model string for a tenant and provider (cached like <see cref="Price"/>).</summary>
    public ModelResolution Resolve(string? tenant, string? provider, string model)
    {
        var key = new ResolutionKey(tenant ?? "", provider ?? "", model ?? "");
        if (!_resolved.TryGetValue(key, out var target)) target = ResolveAndCache(key);
        return new ModelResolution(
            target.Estimate ? null : target.Entry?.Model,
            target.Provider,
            target.Overrides is null ? [] : target.Overrides.Select(o => o.Override).ToArray());
    }

    /// <summary>The price version of an entry in force at a time (the earliest version for times before it).</summary>
    public static ModelPrice PriceAt(CatalogModel model, DateTimeOffset timestamp)
    {
        ModelPrice? best = null;
        foreach (var price in model.Prices)
        {
            if (Ticks(price.EffectiveFrom) <= timestamp.UtcTicks && (best is null || price.EffectiveFrom > best.EffectiveFrom)) best = price;
        }
        return best ?? model.Prices.MinBy(p => p.EffectiveFrom)!;
    }

    private Target ResolveAndCache(ResolutionKey key)
    {
        var target = ResolveSlow(key);
        if (_resolved.Count < MaxCachedResolutions) _resolved.TryAdd(key, target);
        return target;
    }

    private Target ResolveSlow(ResolutionKey key)
    {
        var provider = Providers.Parse(key.Provider);
        var model = key.Model.Trim();
        if (model.Length == 0) return new Target(null, provider, null);

        if (_aliases.TryGetValue((key.Tenant, model), out var alias))
        {
            model = alias.Model;
            if (alias.Provider != ProviderId.Unknown) provider = alias.Provider;
        }
        if (provider == ProviderId.Unknown) provider = ModelIdNormalizer.InferProvider(model);

        Entry? found = null;
        foreach (var candidate in ModelIdNormalizer.Candidates(model))
        {
            var index = provider == ProviderId.Unknown ? _anyProvider : _byProvider[(int)provider];
            if (index.TryGetValue(candidate, out found)) break;
        }
        if (found is null && _privateModels.TryGetValue((key.Tenant, model), out var privateModels))
        {
            found = privateModels.FirstOrDefault(e => provider == ProviderId.Unknown || e.Model.Provider == provider);
        }
        if (found is null)
        {
            return _estimates is null ? new Target(null, provider, null) : new Target(_estimates[(int)provider] ?? _estimates[0], provider, null, Estimate: true);
        }

        _overrides.TryGetValue((key.Tenant, OverrideKey(found.Model.Provider, found.Model.Model)), out var overrides);
        return new Target(found, found.Model.Provider, overrides);
    }

    private static string OverrideKey(ProviderId provider, string model) => $"{(int)provider}|{model}";

    internal static long Ticks(DateOnly date) => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).Ticks;

    // Per provider id, the entry whose price stands in for that provider's unknown models; index 0 (Unknown) holds the
    // configured default.
    private Entry?[] BuildEstimates(UnknownModelFallback fallback)
    {
        var estimates = new Entry?[_byProvider.Length];
        estimates[0] = new Entry(new CatalogModel { Provider = ProviderId.Unknown, Model = "default", Prices = [fallback.DefaultPrice] });
        foreach (var group in Models.Where(m => m.Capabilities.Mode == ModelCapabilities.ChatMode).GroupBy(m => m.Provider))
        {
            var priciest = group.MaxBy(m => Latest(m).Input + Latest(m).Output)!;
            estimates[(int)group.Key] = new Entry(priciest with { Prices = [Latest(priciest)] });
        }
        return estimates;

        static ModelPrice Latest(CatalogModel m) => m.Prices.MaxBy(p => p.EffectiveFrom)!;
    }

    private sealed record Target(Entry? Entry, ProviderId Provider, OverrideEntry[]? Overrides, bool Estimate = false);

    private sealed class Entry
    {
        public Entry(CatalogModel model, bool isPrivate = false)
        {
            Model = model;
            IsPrivate = isPrivate;
            Versions = model.Prices.OrderBy(p => p.EffectiveFrom)
                .Select(p => new VersionRates(Ticks(p.EffectiveFrom), model.VersionId(p), p, new PriceRates(p)))
                .ToArray();
        }

        public CatalogModel Model { get; }

        /// <summary>A tenant's model known only from its explicit-price overrides.</summary>
        public bool IsPrivate { get; }

        public VersionRates[] Versions { get; }

        public int VersionAt(long ticks)
        {
            // Newest first: events are mostly recent. Times before the first version use it (a model cannot be
            // called before it exists; such timestamps are clock skew, and pricing them beats leaving them unpriced).
            var versions = Versions;
            for (var i = versions.Length - 1; i > 0; i--)
            {
                if (versions[i].FromTicks <= ticks) return i;
            }
            return 0;
        }
    }

    private sealed record VersionRates(long FromTicks, string VersionId, ModelPrice Price, PriceRates Rates)
    {
        /// <summary>The <c>price_version</c> of an estimate priced with this version.</summary>
        public string EstimateId { get; } = "estimate:" + VersionId;
    }

    private sealed class OverrideEntry
    {
        private readonly PriceRates[] _rates;

        public OverrideEntry(PriceOverride value, Entry entry)
        {
            Id = value.Id;
            FromTicks = Ticks(value.EffectiveFrom);
            ToTicks = value.EffectiveTo is { } to ? Ticks(to) : long.MaxValue;
            // Precomputed per catalog version: a discount scales the version in force, explicit prices replace them all.
            _rates = value.Prices is { } explicitPrices
                ? [new PriceRates(explicitPrices)]
                : entry.Versions.Select(v => new PriceRates(v.Price.Scaled(CostCalculator.DiscountFactor(value.DiscountPercent ?? 0m)))).ToArray();
            Override = value;
        }

        public PriceOverride Override { get; }

        // PriceOverride.Id formats a string: computed once here so the hot path does not allocate.
        public string Id { get; }

        public long FromTicks { get; }

        public long ToTicks { get; }

        public PriceRates RatesFor(int versionIndex) => _rates.Length == 1 ? _rates[0] : _rates[versionIndex];

        /// <summary>
        /// The override in force at <paramref name="ticks"/>: of those whose [from, to) holds it, the one that started
        /// last (entries are in start order). A later override that has ended does not hide an earlier one still in
        /// force: a contract rate applies again once a time-boxed rate inside it is over.
        /// </summary>
        public static OverrideEntry? At(OverrideEntry[] entries, long ticks)
        {
            for (var i = entries.Length - 1; i >= 0; i--)
            {
                var e = entries[i];
                if (e.FromTicks <= ticks && ticks < e.ToTicks) return e;
            }
            return null;
        }
    }

    private readonly record struct ResolutionKey(string Tenant, string Provider, string Model);

    private sealed class ResolutionKeyComparer : IEqualityComparer<ResolutionKey>
    {
        public static readonly ResolutionKeyComparer Instance = new();

        public bool Equals(ResolutionKey x, ResolutionKey y) =>
            string.Equals(x.Model, y.Model, StringComparison.Ordinal)
            && string.Equals(x.Provider, y.Provider, StringComparison.Ordinal)
            && string.Equals(x.Tenant, y.Tenant, StringComparison.Ordinal);

        // A fast seeded hash (see FastHash): string.GetHashCode's Marvin costs more than the whole cost arithmetic.
        public int GetHashCode(ResolutionKey key) =>
            FastHash.Finish(FastHash.Add(FastHash.Add(FastHash.Add(FastHash.Seed, key.Tenant), key.Provider), key.Model));
    }

    private sealed class TenantKeyComparer : IEqualityComparer<(string Tenant, string Key)>
    {
        public static readonly TenantKeyComparer Instance = new();

        public bool Equals((string Tenant, string Key) x, (string Tenant, string Key) y) =>
            string.Equals(x.Tenant, y.Tenant, StringComparison.Ordinal) && string.Equals(x.Key, y.Key, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Tenant, string Key) key) =>
            HashCode.Combine(key.Tenant.GetHashCode(), StringComparer.OrdinalIgnoreCase.GetHashCode(key.Key));
    }
}
