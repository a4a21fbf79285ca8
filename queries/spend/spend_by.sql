-- Spend totals over [from, to) grouped by any subset of the dimensions: a dimension not asked for collapses to ''.
-- Reads the hourly rollup, which is exact (recomputed from deduplicated events). A scoped caller sees only its tenants.
SELECT
    if({by_hour:Bool}, formatDateTime(hour, '%Y-%m-%d %H:00'), if({by_day:Bool}, formatDateTime(hour, '%Y-%m-%d'), '')) AS period,
    if({by_tenant:Bool}, tenant, '') AS g_tenant,
    if({by_project:Bool}, project, '') AS g_project,
    if({by_user:Bool}, user, '') AS g_user,
    if({by_feature:Bool}, feature, '') AS g_feature,
    if({by_provider:Bool}, provider, '') AS g_provider,
    if({by_model:Bool}, model, '') AS g_model,
    sum(cost_usd) AS total_cost_usd,
    sum(requests) AS requests,
    sum(errors) AS errors,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(cached_input_tokens) AS cached_input_tokens,
    sum(cache_write_tokens) AS cache_write_tokens,
    sum(reasoning_tokens) AS reasoning_tokens,
    sum(unpriced_requests) AS unpriced_requests,
    sum(estimated_cost_usd) AS estimated_cost_usd
FROM spend_hourly FINAL
WHERE hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')}
  AND ({tenant:String} = '' OR tenant = {tenant:String})
  AND ({all_tenants:Bool} OR has({tenants:Array(String)}, tenant))
GROUP BY period, g_tenant, g_project, g_user, g_feature, g_provider, g_model
ORDER BY period, total_cost_usd DESC
SETTINGS output_format_json_quote_64bit_integers = 0, output_format_json_quote_decimals = 1
