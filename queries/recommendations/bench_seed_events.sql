-- Benchmark data only (costops bench recommend, in a throwaway database): {rows} priced usage events over the 30 days
-- before {now}, generated inside ClickHouse. 50 tenants × 5 projects × 4 features, eight models of three providers
-- (canonical ids as ingestion stores them), prompts from 200 to 12,000 tokens with a long-context tail above 200k,
-- one call in eight non-interactive, one in four with a repeated prompt prefix, some cache reads and writes, 2 % errors
-- and 0.5 % unpriced calls. A prefix belongs to one (tenant, project, feature), as an application's system prompt does:
-- {rows}/640,000 of them in each, so a (scope, prefix) repeats about 20 times over 30 days. (Before 2026-12-02 prefixes
-- were drawn across all scopes, so nearly every (scope, prefix) was seen once: 2.4M groups for 2.5M calls.)
-- One call in ten carries a request hash from a pool of
-- {rows}/2,000 hashes, each within one (tenant, project, feature), so identical requests repeat (about 200 calls per hash
-- over 30 days, spread over the eight models), with temperature 0, 0.5, 1 or none. One call in forty belongs to one
-- steady gpt-4o scope (t7/p-steady/router), so the distillation path (its daily-volume query) runs too. cost_usd is a
-- plausible figure, not a priced one: the analysis re-prices tokens and does not read it for savings.
INSERT INTO usage_events (event_id, timestamp, tenant, project, user, feature, provider, model, canonical_model,
    input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, batch, interactive,
    status, prompt_hash, request_hash, temperature, cost_usd, price_status, price_version, source, ingested_at)
SELECT
    concat('bench-', toString(number)) AS event_id,
    {now:DateTime64(3, 'UTC')} - toIntervalSecond(cityHash64(number, 1) % (30 * 86400)) AS timestamp,
    if(steady, 't7', concat('t', toString(number % 50))) AS tenant,
    if(steady, 'p-steady', concat('p', toString(intDiv(number, 50) % 5))) AS project,
    concat('u', toString(cityHash64(number, 2) % 500)) AS user,
    if(steady, 'router', ['assistant', 'search', 'summarise', 'nightly-report'][1 + intDiv(number, 250) % 4]) AS feature,
    ['openai', 'openai', 'openai', 'openai', 'anthropic', 'anthropic', 'anthropic', 'gcp.gemini'][1 + model_index] AS provider,
    if(unknown, 'acme-private-llm', ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'o4-mini', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-3-5-haiku', 'gemini-2.5-flash'][1 + model_index]) AS model,
    if(unknown, '', model) AS canonical_model,
    if(cityHash64(number, 4) % 1000 = 0, 200000 + cityHash64(number, 5) % 100000, 200 + cityHash64(number, 5) % 12000) AS input_tokens,
    50 + cityHash64(number, 6) % 1500 AS output_tokens,
    if(model_index IN (4, 5) AND number % 3 = 0, intDiv(input_tokens, 2), 0) AS cached_input_tokens,
    if(model_index IN (4, 5) AND number % 7 = 0, intDiv(input_tokens, 3), 0) AS cache_write_tokens,
    if(model_index = 3, intDiv(output_tokens, 2), 0) AS reasoning_tokens,
    false AS batch,
    if(number % 8 = 0, false, if(number % 8 = 1, NULL, true)) AS interactive,
    if(cityHash64(number, 7) % 50 = 0, 'error', 'ok') AS status,
    if(number % 4 = 0, concat('h', toString(number % 1000), '-', toString(cityHash64(number, 8) % greatest(intDiv({rows:UInt64}, 640000), 1))), '') AS prompt_hash,
    -- number % 1000 fixes tenant, project and feature (their cycles divide 1,000), so a hash stays in one of them.
    if(number % 10 = 1, concat('r', toString(number % 1000), '-', toString(cityHash64(number, 10) % greatest(intDiv({rows:UInt64}, 200000), 1))), '') AS request_hash,
    if(number % 10 = 1 AND cityHash64(number, 11) % 4 != 0, toDecimal32((cityHash64(number, 11) % 4 - 1) / 2, 3), NULL) AS temperature,
    toDecimal128(input_tokens * 2 + output_tokens * 8, 18) / 1000000 AS cost_usd,
    if(unknown, 'unknown_model', 'priced') AS price_status,
    '' AS price_version,
    'bench' AS source,
    {now:DateTime64(3, 'UTC')} AS ingested_at
FROM
(
    SELECT number, number % 40 = 7 AS steady, if(steady, 0, cityHash64(number, 3) % 8) AS model_index, NOT steady AND cityHash64(number, 9) % 200 = 0 AS unknown
    FROM numbers({rows:UInt64})
)
