-- Recommendations' day cache (schema 0013): a fingerprint of the stored event rows of each UTC day in [{from}, {to}).
-- Every change to a day's rows changes it: an insert (a new or late event, a re-priced version) adds a row with the
-- latest ingested_at, a merge drops superseded versions, retention drops rows; each moves the count, the sum or the
-- maximum. So groups stored under a day's current fingerprint were computed from the events the day holds now. Reads
-- two small columns of the window, without FINAL. Days without events have no row.
SELECT
    toDate(timestamp) AS day,
    cityHash64(count(), sum(toUnixTimestamp64Milli(ingested_at)), max(ingested_at)) AS fingerprint
FROM usage_events
WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
GROUP BY day
ORDER BY day
