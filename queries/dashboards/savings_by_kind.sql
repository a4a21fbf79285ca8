-- Estimated savings of the newest completed run, per kind of recommendation.
SELECT kind, count() AS recommendations, sum(estimated_savings_usd) AS estimated_savings_usd
FROM routing_recommendations
WHERE run_id = (SELECT argMax(run_id, run_at) FROM recommendation_runs WHERE tenant_filter = '')
  AND has(splitByChar(',', trim(BOTH '{}' FROM decodeURLComponent('${tenant:percentencode}'))), tenant)
GROUP BY kind
ORDER BY estimated_savings_usd DESC
