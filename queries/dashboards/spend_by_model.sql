-- Spend over time per model as the producers named it.
SELECT $__timeInterval(hour) AS time, model, sum(cost_usd) AS cost_usd
FROM spend_hourly FINAL
WHERE $__timeFilter(hour) AND has(splitByChar(',', trim(BOTH '{}' FROM decodeURLComponent('${tenant:percentencode}'))), tenant)
GROUP BY time, model
ORDER BY time, model
