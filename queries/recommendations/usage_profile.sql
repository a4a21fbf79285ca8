-- Recommendations input (one bounded scan of the window): per scope (tenant, project, feature, provider, model) and,
-- inside it, per slice: long-context tier bucket (how many of the catalog's tier thresholds the call's input exceeds),
-- batch, and interactive=false. A slice lies wholly on one side of every model's tier, so C# re-prices its summed tokens
-- exactly. Risk signals are counts and maxima that add up across slices (calls with outputs above {long_output},
-- largest prompt and output): no per-group quantile states, which cost memory per group. Unpriced calls have no
-- canonical model: the model as sent stands in. scope_key joins prompt_repeats' rows to these scopes.
-- The window's whole UTC days [{first_day}, {end_day}) are read from the day cache (schema 0013), under the fingerprints
-- their events have now ({days}, {fingerprints}: recommendations/store_profile_days stored any that were missing);
-- the partial days at either end, [{from}, {whole_from}) and [{whole_to}, {to}), from the events. Sums and maxima of
-- per-day groups are the window's. (UNION ALL matches columns by position: scope_model is the model column.) The
-- partial-day part computes the same groups and figures as store_profile_days: keep the two in step.
SELECT
    tenant, project, feature, provider, model,
    cityHash64(tenant, project, feature, provider, model) AS scope_key,
    bucket, is_batch, non_interactive,
    sum(n_requests) AS n_requests,
    sum(n_input) AS n_input,
    sum(n_output) AS n_output,
    sum(n_cached) AS n_cached,
    sum(n_cache_write) AS n_cache_write,
    sum(n_reasoning) AS n_reasoning,
    sum(n_errors) AS n_errors,
    sum(n_unpriced) AS n_unpriced,
    sum(n_long_output) AS n_long_output,
    max(max_input) AS max_input,
    max(max_output) AS max_output,
    sum(n_cost) AS n_cost
FROM
(
    SELECT
        tenant, project, feature, provider, model, bucket, is_batch, non_interactive, n_requests, n_input, n_output, n_cached,
        n_cache_write, n_reasoning, n_errors, n_unpriced, n_long_output, max_input, max_output, n_cost
    FROM usage_profile_days FINAL
    WHERE settings_key = cityHash64({thresholds:Array(UInt64)}, {long_output:UInt64})
      AND day >= {first_day:Date} AND day < {end_day:Date}
      AND (day, fingerprint) IN (SELECT pair.1, pair.2 FROM (SELECT arrayJoin(arrayZip({days:Array(Date)}, {fingerprints:Array(UInt64)})) AS pair))
      AND ({tenant:String} = '' OR tenant = {tenant:String})
    UNION ALL
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
        countIf(price_status IN ('unknown_model', 'estimated_price')) AS n_unpriced,
        countIf(output_tokens > {long_output:UInt64}) AS n_long_output,
        max(input_tokens) AS max_input,
        max(output_tokens) AS max_output,
        sum(cost_usd) AS n_cost
    FROM usage_events FINAL
    WHERE ((timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {whole_from:DateTime64(3, 'UTC')})
        OR (timestamp >= {whole_to:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}))
      AND ({tenant:String} = '' OR tenant = {tenant:String})
    GROUP BY tenant, project, feature, provider, scope_model, bucket, is_batch, non_interactive
)
GROUP BY tenant, project, feature, provider, model, bucket, is_batch, non_interactive
ORDER BY tenant, project, feature, provider, model, bucket, is_batch, non_interactive
