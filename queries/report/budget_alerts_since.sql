-- Alerts fired since a time, for the report's burn-down markers.
SELECT budget_id, fired_at, threshold, kind
FROM budget_alerts FINAL
WHERE fired_at >= {from:DateTime64(3, 'UTC')}
ORDER BY budget_id, fired_at
