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
    private readonly ConcurrentDictionary<ResolutionKey, Target> _resolved = new(ResolutionKeyComparer.Instance);

    public PriceCatalog(
        IEnumerable<CatalogModel> models,
        IEnumerable<PriceOverride>? overrides = null,
        IEnumerable<ModelAlias>? aliases = null,
        string version = "")
    {
        Version = version;
        _byProvider = new Dictionary<string, Entry>[Enum.GetValues<ProviderId>().Length];
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
            _overrides[group.Key] = group.OrderBy(o => o.EffectiveFrom).Select(o => new OverrideEntry(o)).ToArray();
        }
        Overrides = (overrides ?? []).ToList();
        Aliases = (aliases ?? []).ToList();
    }

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
        var version = entry.VersionAt(ticks);
        var rates = version.Rates;
        var factor = 1m;
        string? overrideId = null;
        var extra = PricingFlags.None;
        if (target.Overrides is { } overrides && OverrideEntry.At(overrides, ticks) is { } active)
        {
            rates = active.Rates ?? rates;
            factor = active.Factor;
            overrideId = active.Id;
            extra = PricingFlags.Override;
        }

        var components = CostCalculator.Calculate(rates, usage, factor, out var flags);
        var status = usage.Estimated ? PriceStatus.EstimatedTokens : PriceStatus.Priced;
        return new PricedCost(status, entry.Model.Provider, entry.Model.Model, version.VersionId, overrideId, components, flags | extra);
    }

    /// <summary>Resolves a model string for a tenant and provider (cached like <see cref="Price"/>).</summary>
    public ModelResolution Resolve(string? tenant, string? provider, string model)
    {
        var key = new ResolutionKey(tenant ?? "", provider ?? "", model ?? "");
        if (!_resolved.TryGetValue(key, out var target)) target = ResolveAndCache(key);
        return new ModelResolution(
            target.Entry?.Model,
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
        if (found is null) return new Target(null, provider, null);

        _overrides.TryGetValue((key.Tenant, OverrideKey(found.Model.Provider, found.Model.Model)), out var overrides);
        return new Target(found, found.Model.Provider, overrides);
    }

    private static string OverrideKey(ProviderId provider, string model) => $"{(int)provider}|{model}";

    internal static long Ticks(DateOnly date) => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).Ticks;

    private sealed record Target(Entry? Entry, ProviderId Provider, OverrideEntry[]? Overrides);

    private sealed class Entry
    {
        private readonly VersionRates[] _versions;

        public Entry(CatalogModel model)
        {
            Model = model;
            _versions = model.Prices.OrderBy(p => p.EffectiveFrom)
                .Select(p => new VersionRates(Ticks(p.EffectiveFrom), model.VersionId(p), new PriceRates(p)))
                .ToArray();
        }

        public CatalogModel Model { get; }

        public VersionRates VersionAt(long ticks)
        {
            // Newest first: events are mostly recent. Times before the first version use it (a model cannot be
            // called before it exists; such timestamps are clock skew, and pricing them beats leaving them unpriced).
            var versions = _versions;
            for (var i = versions.Length - 1; i > 0; i--)
            {
                if (versions[i].FromTicks <= ticks) return versions[i];
            }
            return versions[0];
        }
    }

    private sealed record VersionRates(long FromTicks, string VersionId, PriceRates Rates);

    private sealed class OverrideEntry(PriceOverride value)
    {
        public PriceOverride Override { get; } = value;

        // PriceOverride.Id formats a string: computed once here so the hot path does not allocate.
        public string Id { get; } = value.Id;
        public long FromTicks { get; } = Ticks(value.EffectiveFrom);
        public long ToTicks { get; } = value.EffectiveTo is { } to ? Ticks(to) : long.MaxValue;
        public PriceRates? Rates { get; } = value.Prices is { } p ? new PriceRates(p) : null;
        public decimal Factor { get; } = value.DiscountPercent is { } d ? CostCalculator.DiscountFactor(d) : 1m;

        public static OverrideEntry? At(OverrideEntry[] entries, long ticks)
        {
            for (var i = entries.Length - 1; i >= 0; i--)
            {
                var e = entries[i];
                if (e.FromTicks <= ticks) return ticks < e.ToTicks ? e : null;
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

        public int GetHashCode(ResolutionKey key) =>
            HashCode.Combine(key.Model.GetHashCode(), key.Provider.GetHashCode(), key.Tenant.GetHashCode());
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
