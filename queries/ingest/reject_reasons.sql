-- Rejects of one source grouped by reason code (the part before ':'), with one example event id.
SELECT count() AS events, splitByChar(':', reason)[1] AS code, any(event_id) AS example_event_id
FROM ingest_rejects
WHERE source = {source:String}
GROUP BY code
ORDER BY events DESC
