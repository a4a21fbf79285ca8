namespace CostOps.Core.Pricing;

/// <summary>
/// What fine-tuning a base model costs and what the fine-tuned model then costs per token, USD per 1M tokens.
/// Kept apart from the main catalog on purpose: few providers publish these prices, and a fine-tuned model is not a
/// catalog entry anyone sends traffic to yet.
/// </summary>
/// <param name="Provider">Whose fine-tuning service.</param>
/// <param name="BaseModel">The catalog's canonical id of the model that is fine-tuned.</param>
/// <param name="Training">Training tokens (every epoch is billed).</param>
/// <param name="Input">Fine-tuned model: uncached input.</param>
/// <param name="CacheRead">Fine-tuned model: cached input.</param>
/// <param name="Output">Fine-tuned model: output.</param>
/// <param name="EffectiveFrom">When the price was published.</param>
/// <param name="Source">The public price page.</param>
public sealed record FineTuningPrice(
    ProviderId Provider, string BaseModel, decimal Training, decimal Input, decimal CacheRead, decimal Output, DateOnly EffectiveFrom, string Source);

/// <summary>
/// The bundled fine-tuning prices. Only providers that publish per-token fine-tuning prices without a fixed hosting fee
/// are listed: OpenAI's standard (supervised) fine-tuning of the GPT-4.1 and GPT-4o families, from the fine-tuning table
/// of openai.com/api/pricing. Azure OpenAI also bills an hourly hosting fee per fine-tuned deployment, which a per-token
/// comparison cannot show, so it is not listed; nor are reinforcement fine-tuning prices (billed per training hour).
/// </summary>
public static class FineTuningPrices
{
    private const string OpenAiPricing = "https://openai.com/api/pricing/";

    public static IReadOnlyList<FineTuningPrice> Bundled { get; } =
    [
        new(ProviderId.OpenAI, "gpt-4.1", Training: 25m, Input: 3m, CacheRead: 0.75m, Output: 12m, new DateOnly(2025, 4, 14), OpenAiPricing),
        new(ProviderId.OpenAI, "gpt-4.1-mini", Training: 5m, Input: 0.80m, CacheRead: 0.20m, Output: 3.20m, new DateOnly(2025, 4, 14), OpenAiPricing),
        new(ProviderId.OpenAI, "gpt-4.1-nano", Training: 1.50m, Input: 0.20m, CacheRead: 0.05m, Output: 0.80m, new DateOnly(2025, 4, 14), OpenAiPricing),
        new(ProviderId.OpenAI, "gpt-4o", Training: 25m, Input: 3.75m, CacheRead: 1.875m, Output: 15m, new DateOnly(2024, 8, 20), OpenAiPricing),
        new(ProviderId.OpenAI, "gpt-4o-mini", Training: 3m, Input: 0.30m, CacheRead: 0.15m, Output: 1.20m, new DateOnly(2024, 7, 23), OpenAiPricing),
    ];
}
