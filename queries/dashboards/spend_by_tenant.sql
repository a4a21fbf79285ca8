-- Spend over time per tenant, from the hourly rollup (exact: recomputed from distinct events, read with FINAL).
SELECT $__timeInterval(hour) AS time, tenant, sum(cost_usd) AS cost_usd
FROM spend_hourly FINAL
WHERE $__timeFilter(hour) AND has(splitByChar(',', trim(BOTH '{}' FROM decodeURLComponent('${tenant:percentencode}'))), tenant)
GROUP BY time, tenant
ORDER BY time, tenant
