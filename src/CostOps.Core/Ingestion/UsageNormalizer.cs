namespace CostOps.Core.Ingestion;

/// <summary>
/// Brings provider-style token counts to the OpenTelemetry GenAI convention (cache reads and writes inside
/// <c>input_tokens</c>, reasoning inside <c>output_tokens</c>). The rules are the contract in
/// <c>docs/usage-event.md</c> ("Normalisation"); pricing relies on them and never re-interprets counts.
/// </summary>
internal static class UsageNormalizer
{
    /// <summary>Rewrites the OTel count fields of <paramref name="f"/> in place; returns a problem if the usage is ambiguous.</summary>
    public static UsageEventRejection? Normalize(ref EventFields f)
    {
        bool topLevelAnthropic = f.CacheReadInputTokens is not null || f.CacheCreationInputTokens is not null;
        if (f.HasUsage)
        {
            if (f.InputTokens is not null || f.OutputTokens is not null || f.CachedInputTokens is not null
                || f.CacheWriteTokens is not null || f.ReasoningTokens is not null || topLevelAnthropic)
                return Conflict("token counts are given both at the top level and in 'usage'; send them in one place");
            return FromUsageObject(ref f);
        }

        if (topLevelAnthropic && f.Style == UsageStyle.Otel)
            return Conflict("usage_style is 'otel' but Anthropic fields (cache_read_input_tokens, cache_creation_input_tokens) are present");
        if (topLevelAnthropic || f.Style == UsageStyle.Anthropic)
        {
            if (f.CachedInputTokens is not null || f.CacheWriteTokens is not null)
                return Conflict("Anthropic-style usage must not also carry cached_input_tokens or cache_write_tokens");
            ApplyAnthropic(ref f, f.InputTokens, f.OutputTokens, f.CacheReadInputTokens, f.CacheCreationInputTokens);
        }
        return null;
    }

    private static UsageEventRejection? FromUsageObject(ref EventFields f)
    {
        bool anthropicNames = f.UsageCacheReadInputTokens is not null || f.UsageCacheCreationInputTokens is not null;
        bool chatCompletionNames = f.UsagePromptTokens is not null || f.UsageCompletionTokens is not null;
        if (anthropicNames && f.Style == UsageStyle.Otel)
            return Conflict("usage_style is 'otel' but 'usage' holds Anthropic fields (cache_read_input_tokens, cache_creation_input_tokens)");
        if (chatCompletionNames && (anthropicNames || f.UsageInputTokens is not null || f.UsageOutputTokens is not null))
            return Conflict("'usage' mixes prompt_tokens/completion_tokens with input_tokens/output_tokens or Anthropic fields");

        if (chatCompletionNames)
        {
            // OpenAI Chat Completions: prompt_tokens already includes cached tokens.
            f.InputTokens = f.UsagePromptTokens;
            f.OutputTokens = f.UsageCompletionTokens;
            f.CachedInputTokens = f.UsagePromptCachedTokens;
            f.ReasoningTokens = f.UsageCompletionReasoningTokens;
        }
        else if (anthropicNames || f.Style == UsageStyle.Anthropic)
        {
            ApplyAnthropic(ref f, f.UsageInputTokens, f.UsageOutputTokens, f.UsageCacheReadInputTokens, f.UsageCacheCreationInputTokens);
        }
        else
        {
            // OpenAI Responses API (and any OTel-shaped usage): input_tokens already includes cached tokens.
            f.InputTokens = f.UsageInputTokens;
            f.OutputTokens = f.UsageOutputTokens;
            f.CachedInputTokens = f.UsageInputCachedTokens;
            f.ReasoningTokens = f.UsageOutputReasoningTokens;
        }
        return null;
    }

    /// <summary>
    /// Anthropic reports input_tokens without cache reads and writes: input = input + cache_read + cache_creation.
    /// Each part is at most 10^9 after reading, so the sum cannot overflow; validation bounds the total.
    /// </summary>
    private static void ApplyAnthropic(ref EventFields f, long? input, long? output, long? cacheRead, long? cacheCreation)
    {
        f.InputTokens = input is null ? null : input + (cacheRead ?? 0) + (cacheCreation ?? 0);
        f.OutputTokens = output;
        f.CachedInputTokens = cacheRead;
        f.CacheWriteTokens = cacheCreation;
    }

    private static UsageEventRejection Conflict(string message) => new(RejectCodes.UsageConflict, message);
}
