namespace CostOps.Infrastructure.Tables;

/// <summary>The Azure tables CostOps keeps, each prefixed with <see cref="TableStorageOptions.TablePrefix"/>.</summary>
public static class TableNames
{
    public const string Prices = "prices";
    public const string PriceOverrides = "priceoverrides";
    public const string ModelAliases = "modelaliases";
    public const string Budgets = "budgets";
    public const string AlertState = "alertstate";
    public const string AlertOutbox = "alertoutbox";
    public const string Checkpoints = "checkpoints";
    public const string Ownership = "ownership";
    public const string RecommendationState = "recommendationstate";

    /// <summary>One row per scheduled price sync: the diff it found and applied (JSON), keyed by day.</summary>
    public const string PriceSyncs = "pricesyncs";

    /// <summary>Scoped API keys: role, tenants and the salted hash of the secret (never the secret).</summary>
    public const string ApiKeys = "apikeys";

    /// <summary>The audit trail: who changed prices, overrides, aliases, budgets or keys, when, before and after.</summary>
    public const string Audit = "audit";

    /// <summary>Admission: per-budget, per-period counters and open reservations (partition = budget id).</summary>
    public const string Admission = "admission";

    /// <summary>
    /// The ASP.NET Core Data Protection key ring that encrypts stored credentials, where the ring is kept in Tables
    /// (every Azure plan): one row per key, wrapped by a Key Vault secret (docs/security.md).
    /// </summary>
    public const string DataProtectionKeys = "dataprotectionkeys";

    public static IReadOnlyList<string> All { get; } =
        [Prices, PriceOverrides, ModelAliases, Budgets, AlertState, AlertOutbox, Checkpoints, Ownership, RecommendationState, PriceSyncs,
         ApiKeys, Audit, Admission, DataProtectionKeys];
}
