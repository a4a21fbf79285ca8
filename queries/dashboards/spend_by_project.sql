-- Spend over time per project (tenant/project, because project names repeat across tenants).
SELECT $__timeInterval(hour) AS time, concat(tenant, '/', if(project = '', '(none)', project)) AS project, sum(cost_usd) AS cost_usd
FROM spend_hourly FINAL
WHERE $__timeFilter(hour) AND has(splitByChar(',', trim(BOTH '{}' FROM decodeURLComponent('${tenant:percentencode}'))), tenant)
GROUP BY time, project
ORDER BY time, project
