namespace CostOps.Core.Recommendations;

/// <summary>What a recommendation proposes. Wire names (ClickHouse, JSON, API) come from <see cref="RecommendationKinds"/>.</summary>
public enum RecommendationKind
{
    /// <summary>Send a scope's traffic to a cheaper model that can take the same work.</summary>
    ModelSubstitution,

    /// <summary>Prompts repeat a prefix but read little from the cache: cache it.</summary>
    PromptCaching,

    /// <summary>Cache writes are rarely read back: they cost more than they save.</summary>
    CacheWritesUnread,

    /// <summary>Latency-insensitive traffic sent as ordinary calls: send it through the batch API.</summary>
    Batch,

    /// <summary>A budget's forecast exceeds its limit: move a share of traffic to a cheaper model.</summary>
    BudgetPressure,

    /// <summary>Traffic from models without a price: the numbers are wrong until someone adds the price.</summary>
    UnpricedTraffic,

    /// <summary>Identical requests repeat within a cache lifetime: a response cache in front of the model would answer them.</summary>
    ResponseCache,

    /// <summary>Steady, high-volume traffic on a large model: a fine-tuned smaller model would pay back its training.</summary>
    Distillation,
}
