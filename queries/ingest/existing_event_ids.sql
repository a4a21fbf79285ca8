-- Which of a batch's events are already stored. A replay carries the same tenant, id and timestamp, so the
-- batch's time range bounds the scan. The candidates come from their own table (ingest/create_candidate_ids), which
-- ClickHouse turns into one hash set of (tenant, event_id). GLOBAL: on a cluster the set is built where the table
-- lives (the initiator) and sent to the shards of the Distributed usage_events.
SELECT DISTINCT tenant, event_id
FROM usage_events
WHERE tenant GLOBAL IN (SELECT DISTINCT tenant FROM {candidates:Identifier})
  AND timestamp BETWEEN {from:DateTime64(3, 'UTC')} AND {to:DateTime64(3, 'UTC')}
  AND (tenant, event_id) GLOBAL IN (SELECT tenant, event_id FROM {candidates:Identifier})
