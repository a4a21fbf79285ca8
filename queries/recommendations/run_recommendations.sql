-- One run's recommendations, optionally narrowed to a tenant and project, in the engine's stable order.
SELECT
    run_id, run_at, window_days, recommendation_id, kind, tenant, project, feature, provider, current_model,
    suggested_provider, suggested_model, budget_id, requests, observed_cost_usd, projected_cost_usd,
    estimated_savings_usd, traffic_share, confidence, rationale, details
FROM routing_recommendations
WHERE run_id = {run_id:String}
  AND ({tenant:String} = '' OR tenant = {tenant:String})
  AND ({project:String} = '' OR project = {project:String})
ORDER BY tenant, project, feature, kind, estimated_savings_usd DESC, recommendation_id
