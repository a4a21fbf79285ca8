-- The repair pass at host start-up (RollupRepair.RepairAtStartAsync): the days, before {before}, of events ingested in
-- the {hours} hours up to the newest ingestion. A crash between a live commit and its deferred rollup refresh leaves
-- the slices of that commit's events stale whatever their timestamps, and a producer may report a call days late; the
-- event-time look-back (mismatched_slices over the last hours) does not reach those. Counting back from the newest
-- ingestion rather than from now, a host that stays down longer than the look-back still finds what it last wrote.
-- Reads every part's ingested_at (no index orders it): one scan, at start-up only.
SELECT DISTINCT toDate(timestamp) AS day
FROM usage_events
WHERE ingested_at >= (SELECT max(ingested_at) FROM usage_events) - toIntervalHour({hours:UInt32})
  AND timestamp < {before:DateTime64(3, 'UTC')}
ORDER BY day
