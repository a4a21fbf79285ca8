-- Whether every table an ingestion batch writes is there and answers: tells "storage is down, retry later" from
-- "storage refuses these events" when an insert fails (UsageIngestionHandler.WriteIsolatingAsync). Reads nothing.
SELECT
    (SELECT count() FROM usage_events WHERE 0),
    (SELECT count() FROM ingest_rejects WHERE 0),
    (SELECT count() FROM ingest_duplicates WHERE 0),
    (SELECT count() FROM spend_hourly WHERE 0),
    (SELECT count() FROM spend_daily WHERE 0)
