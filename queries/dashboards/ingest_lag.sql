-- Ingestion lag: how long after the call its event was stored (Event Hubs backlog, retries, producer buffering).
SELECT $__timeInterval(ingested_at) AS time,
       quantile(0.5)(dateDiff('millisecond', timestamp, ingested_at)) / 1000 AS lag_p50_s,
       quantile(0.95)(dateDiff('millisecond', timestamp, ingested_at)) / 1000 AS lag_p95_s,
       count() AS events
FROM usage_events
WHERE $__timeFilter(ingested_at) AND has(splitByChar(',', trim(BOTH '{}' FROM decodeURLComponent('${tenant:percentencode}'))), tenant)
GROUP BY time
ORDER BY time
