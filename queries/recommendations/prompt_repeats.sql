-- Recommendations input: how prompts repeat per scope (scope_key as in usage_profile). A prompt_hash seen at least twice
-- in calls with a prompt long enough to be cached ({min_prefix} tokens) is a repeated prefix; its shared length is taken
-- as the shortest such prompt carrying it (the prefix cannot be longer). Per scope: repeated prefixes, their calls, the
-- tokens repeat calls could have read from cache, the cache reads they reported, and the tokens that writing each
-- prefix once takes; and, whatever the prompts' length, the calls that repeat a prefix an earlier call already had
-- (calls with a prefix minus distinct prefixes: how narrow the scope's prompts are, for distillation). The inner
-- grouping has one group per (scope, prefix), so it groups on 64-bit hashes rather than strings.
SELECT
    scope_key,
    countIf(cacheable_calls >= 2) AS hashes,
    sumIf(cacheable_calls, cacheable_calls >= 2) AS repeated_requests,
    sumIf((cacheable_calls - 1) * min_input, cacheable_calls >= 2) AS cacheable_tokens,
    sumIf(cached, cacheable_calls >= 2) AS cached_tokens,
    sumIf(min_input, cacheable_calls >= 2) AS first_write_tokens,
    sum(calls) - count() AS repeating_calls
FROM
(
    SELECT
        cityHash64(tenant, project, feature, provider, if(canonical_model = '', model, canonical_model)) AS scope_key,
        cityHash64(prompt_hash) AS hash_key,
        count() AS calls,
        countIf(input_tokens >= {min_prefix:UInt64}) AS cacheable_calls,
        minIf(input_tokens, input_tokens >= {min_prefix:UInt64}) AS min_input,
        sumIf(cached_input_tokens, input_tokens >= {min_prefix:UInt64}) AS cached
    FROM usage_events FINAL
    -- PREWHERE filters before FINAL collapses versions, which is exact here: an event's prompt hash and token counts
    -- never change between its versions (a reprice rewrites only prices). Three quarters of calls carry no prompt
    -- hash, so FINAL then merges a quarter of the rows (measured: 1.8 s -> 1.1 s over 10M events).
    PREWHERE prompt_hash != ''
    WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
      AND ({tenant:String} = '' OR tenant = {tenant:String})
    GROUP BY scope_key, hash_key
)
GROUP BY scope_key
ORDER BY scope_key
