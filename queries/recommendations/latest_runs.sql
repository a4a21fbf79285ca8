-- The newest runs that cover a tenant: full runs, and runs filtered to that tenant. An empty tenant asks for full runs.
SELECT run_id, run_at, window_days, tenant_filter
FROM recommendation_runs
WHERE tenant_filter = '' OR ({tenant:String} != '' AND tenant_filter = {tenant:String})
ORDER BY run_at DESC, run_id DESC
LIMIT {limit:UInt32}
