-- Annotations: every budget alert CostOps fired, as a marker on the time-series panels.
SELECT fired_at AS time, concat(kind, ' ', toString(threshold), '%: ', summary) AS text, [tenant, budget_id, kind] AS tags
FROM budget_alerts FINAL
WHERE $__timeFilter(fired_at) AND has(splitByChar(',', trim(BOTH '{}' FROM decodeURLComponent('${tenant:percentencode}'))), tenant)
ORDER BY time
