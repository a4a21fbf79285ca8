-- The same table as usage_events (same columns, engine and keys), for ClickHouse's own ingestion baseline.
CREATE TABLE IF NOT EXISTS baseline_events AS usage_events
