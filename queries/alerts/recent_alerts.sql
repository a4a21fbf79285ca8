-- Alerts fired for one tenant (or all when empty) since a time, newest first, for dashboards and the CLI.
SELECT alert_id, fired_at, budget_id, tenant, period_key, threshold, kind, limit_usd, spend_usd, forecast_usd, percent, summary
FROM budget_alerts FINAL
WHERE ({tenant:String} = '' OR tenant = {tenant:String})
  AND fired_at >= {since:DateTime64(3, 'UTC')}
ORDER BY fired_at DESC
LIMIT {limit:UInt32}
