using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CostOps.Core.Pricing;
using CostOps.Core.Pricing.CommunityMap;

namespace CostOps.Core.Budgets;

/// <summary>
/// A pricing notice for one tenant, delivered through its budgets' channels like a threshold alert (docs/webhooks.md):
/// <see cref="PriceChange"/> when a price sync changed or added the price of a model the tenant's traffic uses, and
/// <see cref="UnknownModel"/> when the tenant's traffic names a model without a price (counted at the fallback
/// estimate). <see cref="Key"/> is deterministic, so a second enqueue of the same notice collides and sends nothing.
/// </summary>
public sealed record PricingNotice
{
    /// <summary>Kind of a notice about prices changed by a sync.</summary>
    public const string PriceChange = "price_change";

    /// <summary>Kind of a notice about traffic on a model without a price.</summary>
    public const string UnknownModel = "unknown_model";

    /// <summary><see cref="PriceChange"/> or <see cref="UnknownModel"/>.</summary>
    public required string Kind { get; init; }

    public required string Tenant { get; init; }

    /// <summary>
    /// <c>price_change_{yyyyMMdd}_{hash}</c> (effective date, the tenant's changes) or <c>unknown_model_{hash}</c>
    /// (tenant, provider, model): safe as an Azure Tables key, the same whoever computes it.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>One line for chat messages and link previews.</summary>
    public required string Summary { get; init; }

    public required DateTimeOffset FiredAt { get; init; }

    /// <summary>For <see cref="PriceChange"/>: the date the new prices apply from.</summary>
    public DateOnly? EffectiveFrom { get; init; }

    /// <summary>For <see cref="PriceChange"/>: the changes of models the tenant uses (added models have no old values).</summary>
    public IReadOnlyList<NoticePriceChange> Changes { get; init; } = [];

    /// <summary>For <see cref="UnknownModel"/>: the provider and model as stored.</summary>
    public string? Provider { get; init; }

    /// <summary>For <see cref="UnknownModel"/>: the model as stored.</summary>
    public string? Model { get; init; }

    /// <summary>For <see cref="UnknownModel"/>: the calls seen in the look-back window.</summary>
    public long Requests { get; init; }

    /// <summary>For <see cref="UnknownModel"/>: their spend at the fallback estimate (counted in budgets).</summary>
    public decimal EstimatedSpendUsd { get; init; }

    /// <summary>The notice's id for one budget (sent as <c>Idempotency-Key</c>): <c>al_</c> + 32 hex digits, as alert ids.</summary>
    public string AlertId(string budgetId) => "al_" + Hash(budgetId + "\n" + Key, 32);

    /// <summary>The notice for the price changes of <paramref name="plan"/> that touch <paramref name="used"/> (the tenant's (provider, model) pairs; null when none does.</summary>
    public static PricingNotice? ForPriceChanges(string tenant, PriceSyncPlan plan, IReadOnlySet<(string Provider, string Model)> used, DateTimeOffset now)
    {
        bool Uses(CatalogModel m) =>
            new[] { m.Model }.Concat(m.Ids).Any(id => used.Contains((m.Provider.OtelName(), id.ToLowerInvariant())));
        var changes = plan.Changed.Where(c => Uses(c.Model))
            .Select(c => new NoticePriceChange(c.Model.Provider.OtelName(), c.Model.Model, false, c.Fields))
            .Concat(plan.Added.Where(Uses).Select(m => new NoticePriceChange(m.Provider.OtelName(), m.Model, true,
                PriceFields.Of(m.Prices[0]).Where(f => f.Value is not null).Select(f => new FieldChange(f.Field, null, f.Value)).ToList())))
            .OrderBy(c => c.Provider, StringComparer.Ordinal).ThenBy(c => c.Model, StringComparer.Ordinal)
            .ToList();
        if (changes.Count == 0) return null;
        var identity = string.Join("\n", changes.Select(c => $"{c.Provider}/{c.Model}:" + string.Join(",", c.Fields.Select(f => $"{f.Field}={Text(f.Old)}>{Text(f.New)}"))));
        var listed = string.Join("; ", changes.Take(5).Select(c => c.Added
            ? $"{c.Provider}/{c.Model} now priced (input {Text(Field(c, "input"))}, output {Text(Field(c, "output"))} USD per 1M tokens)"
            : $"{c.Provider}/{c.Model}: " + string.Join(", ", c.Fields.Select(f => $"{f.Field} {Text(f.Old)} -> {Text(f.New)}"))));
        return new PricingNotice
        {
            Kind = PriceChange,
            Tenant = tenant,
            Key = $"{PriceChange}_{plan.Effective:yyyyMMdd}_{Hash(tenant + "\n" + identity, 16)}",
            EffectiveFrom = plan.Effective,
            Changes = changes,
            FiredAt = now,
            Summary = $"Prices of {changes.Count} model(s) tenant '{tenant}' uses change from {plan.Effective:yyyy-MM-dd} (price sync): {listed}"
                + (changes.Count > 5 ? $"; and {changes.Count - 5} more" : "") + ". Earlier traffic keeps its prices; costops reprice re-prices a range.",
        };
    }

    /// <summary>The notice for a model without a price in a tenant's traffic.</summary>
    public static PricingNotice ForUnknownModel(string tenant, string provider, string model, long requests, decimal estimatedSpendUsd, DateTimeOffset now) => new()
    {
        Kind = UnknownModel,
        Tenant = tenant,
        Key = $"{UnknownModel}_{Hash(tenant + "\n" + provider + "\n" + model, 32)}",
        Provider = provider,
        Model = model,
        Requests = requests,
        EstimatedSpendUsd = estimatedSpendUsd,
        FiredAt = now,
        Summary = $"Tenant '{tenant}' sends traffic on a model without a price: {(provider.Length > 0 ? provider + "/" : "")}{model} "
            + (estimatedSpendUsd > 0
                ? $"({requests} call(s), {Usd(estimatedSpendUsd)} at the fallback estimate, counted in budgets). "
                : $"({requests} call(s) at cost 0: the estimate is switched off, so budgets do not count them). ")
            + "Add its price (costops prices set, or a price sync) so its spend is exact; costops reprice then re-prices the stored calls.",
    };

    private static decimal? Field(NoticePriceChange c, string name) => c.Fields.FirstOrDefault(f => f.Field == name)?.New;

    private static string Text(decimal? value) => value is { } v ? Money.KeyText(v) : "-";

    // Four places: an estimate of a few calls is often below a cent.
    private static string Usd(decimal v) => "$" + decimal.Round(v, 4).ToString("0.00##", CultureInfo.InvariantCulture);

    private static string Hash(string text, int hexDigits) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..hexDigits];
}

/// <summary>One model's change in a <see cref="PricingNotice"/>: fields old -> new, USD per 1M tokens (per unit for units).</summary>
public sealed record NoticePriceChange(string Provider, string Model, bool Added, IReadOnlyList<FieldChange> Fields);
