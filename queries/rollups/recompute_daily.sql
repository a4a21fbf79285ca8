-- Recomputes the daily (UTC) spend of the given (tenant, day) slices by summing their hourly rows, which are exact
-- (recomputed from deduplicated events, and refreshed before this runs). Every hour of a day belongs to exactly one
-- day, so the sums are exact too; this reads at most 24 rows per group instead of the day's events.
-- optimize_on_insert = 0: the rows are grouped by the table's whole sorting key, so no two share a key and the
-- collapse ClickHouse would otherwise apply to the inserted block finds nothing; skipping it made the hourly insert of
-- 686,950 slices (1M events) 2.65/3.80 s -> 2.24/2.99 s, run alternately (docs/ingestion.md). Readers use FINAL.
-- select_sequential_consistency: the hourly rows this reads were written a moment ago, maybe through another replica
-- (ClickHouse Cloud balances requests over replicas); the replica answering catches up first, so no hour just
-- refreshed is missing from the rebuilt day (see docs/deploy.md, "Several replicas"). Ignored by tables that are not
-- replicated (the embedded engine).
INSERT INTO spend_daily
SELECT
    toDate(hour) AS day,
    tenant,
    project,
    user,
    feature,
    provider,
    model,
    sum(requests) AS requests,
    sum(errors) AS errors,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(cached_input_tokens) AS cached_input_tokens,
    sum(cache_write_tokens) AS cache_write_tokens,
    sum(reasoning_tokens) AS reasoning_tokens,
    sum(cost_usd) AS cost_usd,
    sum(unpriced_requests) AS unpriced_requests,
    sum(estimated_cost_usd) AS estimated_cost_usd,
    {version:DateTime64(6, 'UTC')} AS version
FROM spend_hourly FINAL
WHERE tenant IN {tenants:Array(String)}
  AND toDate(hour) IN {days:Array(Date)}
GROUP BY day, tenant, project, user, feature, provider, model
SETTINGS select_sequential_consistency = 1, optimize_on_insert = 0
