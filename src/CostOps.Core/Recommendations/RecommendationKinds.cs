namespace CostOps.Core.Recommendations;

/// <summary>The wire names of <see cref="RecommendationKind"/>: stored in ClickHouse and shown by the API and CLI.</summary>
public static class RecommendationKinds
{
    public const string ModelSubstitution = "model_substitution";
    public const string PromptCaching = "prompt_caching";
    public const string CacheWritesUnread = "cache_writes_unread";
    public const string Batch = "batch";
    public const string BudgetPressure = "budget_pressure";
    public const string UnpricedTraffic = "unpriced_traffic";
    public const string ResponseCache = "response_cache";
    public const string Distillation = "distillation";

    public static string ToWireName(this RecommendationKind kind) => kind switch
    {
        RecommendationKind.ModelSubstitution => ModelSubstitution,
        RecommendationKind.PromptCaching => PromptCaching,
        RecommendationKind.CacheWritesUnread => CacheWritesUnread,
        RecommendationKind.Batch => Batch,
        RecommendationKind.BudgetPressure => BudgetPressure,
        RecommendationKind.UnpricedTraffic => UnpricedTraffic,
        RecommendationKind.ResponseCache => ResponseCache,
        RecommendationKind.Distillation => Distillation,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static RecommendationKind Parse(string name) => name switch
    {
        ModelSubstitution => RecommendationKind.ModelSubstitution,
        PromptCaching => RecommendationKind.PromptCaching,
        CacheWritesUnread => RecommendationKind.CacheWritesUnread,
        Batch => RecommendationKind.Batch,
        BudgetPressure => RecommendationKind.BudgetPressure,
        UnpricedTraffic => RecommendationKind.UnpricedTraffic,
        ResponseCache => RecommendationKind.ResponseCache,
        Distillation => RecommendationKind.Distillation,
        _ => throw new ArgumentException($"Unknown recommendation kind '{name}'.", nameof(name)),
    };
}
