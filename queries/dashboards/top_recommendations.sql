-- Current recommendations: those of the newest completed run (a run is complete once recommendation_runs has it),
-- largest savings first.
SELECT tenant, kind, project, feature, current_model, suggested_model, requests, observed_cost_usd, projected_cost_usd,
       estimated_savings_usd, confidence, rationale
FROM routing_recommendations
WHERE run_id = (SELECT argMax(run_id, run_at) FROM recommendation_runs WHERE tenant_filter = '')
  AND has(splitByChar(',', trim(BOTH '{}' FROM decodeURLComponent('${tenant:percentencode}'))), tenant)
ORDER BY estimated_savings_usd DESC
LIMIT 20
