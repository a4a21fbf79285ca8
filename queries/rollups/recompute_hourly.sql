-- Recomputes the hourly spend of the given (tenant, hour) slices from deduplicated events. Slices are given as
-- a tenant list and an hour list; recomputing a few extra slices of that cross product is harmless (a slice is
-- always rebuilt whole), which keeps the statement simple.
-- optimize_on_insert = 0: the rows are grouped by the table's whole sorting key, so no two share a key and the
-- collapse ClickHouse would otherwise apply to the inserted block finds nothing; skipping it made the hourly insert of
-- 686,950 slices (1M events) 2.65/3.80 s -> 2.24/2.99 s, run alternately (docs/ingestion.md). Readers use FINAL.
-- select_sequential_consistency: the events this reads were written a moment ago, maybe through another replica
-- (ClickHouse Cloud balances requests over replicas); the replica answering catches up first, so no event of the
-- commit is missing from the rebuilt slice (see docs/deploy.md, "Several replicas"). Ignored by tables that are not
-- replicated (the embedded engine).
INSERT INTO spend_hourly
SELECT
    toStartOfHour(timestamp) AS hour,
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
    countIf(price_status IN ('unknown_model', 'estimated_price')) AS unpriced_requests,
    sumIf(usage_events.cost_usd, price_status = 'estimated_price') AS estimated_cost_usd,
    quantileExactIf(0.5)(latency_ms, latency_ms IS NOT NULL) AS latency_p50_ms,
    quantileExactIf(0.95)(latency_ms, latency_ms IS NOT NULL) AS latency_p95_ms,
    quantileExactIf(0.99)(latency_ms, latency_ms IS NOT NULL) AS latency_p99_ms,
    {version:DateTime64(6, 'UTC')} AS version
FROM usage_events FINAL
WHERE tenant IN {tenants:Array(String)}
  AND toStartOfHour(timestamp) IN {hours:Array(DateTime('UTC'))}
GROUP BY hour, tenant, project, user, feature, provider, model
SETTINGS select_sequential_consistency = 1, optimize_on_insert = 0
