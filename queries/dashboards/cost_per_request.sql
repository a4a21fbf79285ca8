-- Average cost of one call per model over time: what moves when a team switches models or prompts grow.
SELECT $__timeInterval(hour) AS time, model, sum(cost_usd) / sum(requests) AS cost_per_request_usd
FROM spend_hourly FINAL
WHERE $__timeFilter(hour) AND has(splitByChar(',', trim(BOTH '{}' FROM decodeURLComponent('${tenant:percentencode}'))), tenant) AND requests > 0
GROUP BY time, model
ORDER BY time, model
