-- Forecast against limit for each budget, as of its latest alert (the evaluator forecasts the period's end spend).
SELECT budget_id, tenant, period_key, spend_usd, forecast_usd, limit_usd,
       forecast_usd / nullIf(limit_usd, 0) * 100 AS forecast_percent_of_limit, fired_at AS as_of
FROM
(
    SELECT budget_id, tenant, period_key, spend_usd, forecast_usd, limit_usd, fired_at
    FROM budget_alerts FINAL
    WHERE $__timeFilter(fired_at) AND has(splitByChar(',', trim(BOTH '{}' FROM decodeURLComponent('${tenant:percentencode}'))), tenant)
    ORDER BY fired_at DESC
    LIMIT 1 BY budget_id, period_key
)
ORDER BY forecast_percent_of_limit DESC
