-- Refused events over time by reason code (the part of the reason before ':'). Not filtered by tenant: a reject
-- may have no valid tenant at all.
SELECT $__timeInterval(received_at) AS time, splitByChar(':', reason)[1] AS code, count() AS rejects
FROM ingest_rejects
WHERE $__timeFilter(received_at)
GROUP BY time, code
ORDER BY time, code
