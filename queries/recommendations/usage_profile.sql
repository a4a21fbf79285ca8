-- Recommendations input (one bounded scan): the analysed window's traffic per scope (tenant, project, feature,
-- provider, model) and, inside it, per slice: long-context tier bucket (how many of the catalog's tier thresholds the
-- call's input exceeds), batch, and interactive=false. A slice lies wholly on one side of every model's tier, so C#
-- re-prices its summed tokens exactly. Scope-wide signals (largest prompt, p95 output) are merged from per-slice states,
-- and the slices come back one per row (ARRAY JOIN). Unpriced calls have no canonical model: the model as sent stands in.
SELECT
    tenant, project, feature, provider, model, max_input, p95_output,
    s.1 AS bucket, s.2 AS is_batch, s.3 AS non_interactive, s.4 AS requests, s.5 AS input_tokens, s.6 AS output_tokens,
    s.7 AS cached_input_tokens, s.8 AS cache_write_tokens, s.9 AS reasoning_tokens, s.10 AS errors, s.11 AS unpriced, s.12 AS cost_usd
FROM
(
    SELECT
        tenant, project, feature, provider, scope_model AS model,
        max(slice_max_input) AS max_input,
        toUInt64(quantileMerge(0.95)(p95_state)) AS p95_output,
        groupArray((bucket, is_batch, non_interactive, n_requests, n_input, n_output, n_cached,
                    n_cache_write, n_reasoning, n_errors, n_unpriced, n_cost)) AS slices
    FROM
    (
        SELECT
            tenant, project, feature, provider,
            if(canonical_model = '', model, canonical_model) AS scope_model,
            toUInt8(arrayCount(t -> input_tokens > t, {thresholds:Array(UInt64)})) AS bucket,
            batch AS is_batch,
            ifNull(interactive = false, false) AS non_interactive,
            count() AS n_requests,
            sum(input_tokens) AS n_input,
            sum(output_tokens) AS n_output,
            sum(cached_input_tokens) AS n_cached,
            sum(cache_write_tokens) AS n_cache_write,
            sum(reasoning_tokens) AS n_reasoning,
            countIf(status != 'ok') AS n_errors,
            countIf(price_status = 'unknown_model') AS n_unpriced,
            sum(cost_usd) AS n_cost,
            max(input_tokens) AS slice_max_input,
            quantileState(0.95)(output_tokens) AS p95_state
        FROM usage_events FINAL
        WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
          AND ({tenant:String} = '' OR tenant = {tenant:String})
        GROUP BY tenant, project, feature, provider, scope_model, bucket, is_batch, non_interactive
    )
    GROUP BY tenant, project, feature, provider, scope_model
)
ARRAY JOIN slices AS s
ORDER BY tenant, project, feature, provider, model, bucket, is_batch, non_interactive
