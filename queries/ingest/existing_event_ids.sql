-- Which of a batch's events are already stored, by identity (tenant, event_id) whatever their timestamp: point
-- look-ups in usage_event_ids, whose primary key is (tenant, event_id). The candidates come from their own table
-- (ingest/create_candidate_ids), which ClickHouse turns into one hash set and uses to select index ranges. GLOBAL: on a
-- cluster the set is built where the table lives (the initiator) and sent to the shards of the Distributed table.
SELECT DISTINCT tenant, event_id
FROM usage_event_ids
WHERE tenant GLOBAL IN (SELECT DISTINCT tenant FROM {candidates:Identifier})
  AND (tenant, event_id) GLOBAL IN (SELECT tenant, event_id FROM {candidates:Identifier})
