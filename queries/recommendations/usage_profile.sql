-- Recommendations input (one bounded scan of the window): per scope (tenant, project, feature, provider, model) and,
-- inside it, per slice: long-context tier bucket (how many of the catalog's tier thresholds the call's input exceeds),
-- batch, and interactive=false. A slice lies wholly on one side of every model's tier, so C# re-prices its summed tokens
-- exactly. Risk signals are counts and maxima that add up across slices (calls with outputs above {long_output},
-- largest prompt and output): no per-group quantile states, which cost memory per group. Unpriced calls have no
-- canonical model: the model as sent stands in. scope_key joins prompt_repeats' rows to these scopes.
SELECT
    tenant, project, feature, provider, scope_model AS model,
    cityHash64(tenant, project, feature, provider, scope_model) AS scope_key,
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
    countIf(price_status IN ('unknown_model', 'estimated_price')) AS n_unpriced,
    countIf(output_tokens > {long_output:UInt64}) AS n_long_output,
    max(input_tokens) AS max_input,
    max(output_tokens) AS max_output,
    sum(cost_usd) AS n_cost
FROM usage_events FINAL
WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
  AND ({tenant:String} = '' OR tenant = {tenant:String})
GROUP BY tenant, project, feature, provider, if(canonical_model = '', model, canonical_model) AS scope_model, bucket, is_batch, non_interactive
ORDER BY tenant, project, feature, provider, model, bucket, is_batch, non_interactive
