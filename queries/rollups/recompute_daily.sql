-- Recomputes the daily (UTC) spend of the given (tenant, day) slices from deduplicated events; latency
-- percentiles need the events themselves, so days are not summed from hours.
INSERT INTO spend_daily
SELECT
    toDate(timestamp) AS day,
    tenant,
    project,
    user,
    feature,
    provider,
    if(canonical_model = '', model, canonical_model) AS model,
    count() AS requests,
    countIf(status != 'ok' OR error_type != '') AS errors,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(cached_input_tokens) AS cached_input_tokens,
    sum(cache_write_tokens) AS cache_write_tokens,
    sum(reasoning_tokens) AS reasoning_tokens,
    sum(cost_usd) AS cost_usd,
    countIf(price_status = 'unknown_model') AS unpriced_requests,
    quantileExactIf(0.5)(latency_ms, latency_ms IS NOT NULL) AS latency_p50_ms,
    quantileExactIf(0.95)(latency_ms, latency_ms IS NOT NULL) AS latency_p95_ms,
    quantileExactIf(0.99)(latency_ms, latency_ms IS NOT NULL) AS latency_p99_ms,
    {version:DateTime64(6, 'UTC')} AS version
FROM usage_events FINAL
WHERE tenant IN {tenants:Array(String)}
  AND toDate(timestamp) IN {days:Array(Date)}
GROUP BY day, tenant, project, user, feature, provider, model
