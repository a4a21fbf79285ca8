-- An event's identity is (tenant, event_id), whatever its timestamp: a producer that re-sends an id with another
-- timestamp (a retry that re-stamps the event) sends a duplicate, and the first one stays. usage_events is ordered by
-- (tenant, hour, event_id), so finding an id there needs the batch's time range and misses a re-stamped copy; this
-- table is ordered by (tenant, event_id) for point look-ups whatever the time (ingest/existing_event_ids). Written
-- right after each usage_events insert (a crash in between is repaired by the replay: the events are found missing
-- here, inserted again, and collapse in usage_events by their unchanged key).
CREATE TABLE IF NOT EXISTS usage_event_ids
(
    tenant      LowCardinality(String),
    event_id    String,
    timestamp   DateTime64(3, 'UTC'),
    ingested_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (tenant, event_id);

-- Ids stored before this table existed (once, when the migration is applied; a rerun after a crash inserts rows the
-- table collapses).
INSERT INTO usage_event_ids SELECT tenant, event_id, min(timestamp), max(ingested_at) FROM usage_events GROUP BY tenant, event_id;
