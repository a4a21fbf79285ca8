-- ClickHouse parsing the raw NDJSON itself: the yardstick for the whole CostOps ingestion path. It runs with the
-- insert settings CostOps' own inserts use (ClickHouseInsert.Settings), so the comparison is like for like.
INSERT INTO baseline_events (event_id, timestamp, tenant, provider, model, project, feature, user, input_tokens, output_tokens,
    cached_input_tokens, cache_write_tokens, reasoning_tokens, batch, interactive, latency_ms, status, error_type, prompt_hash, tags)
SELECT * FROM file({path:String}, JSONEachRow,
    'event_id String, timestamp DateTime64(3, \'UTC\'), tenant String, provider String, model String, project String, feature String, user String, input_tokens UInt64, output_tokens UInt64, cached_input_tokens UInt64, cache_write_tokens UInt64, reasoning_tokens UInt64, batch Bool, interactive Nullable(Bool), latency_ms Nullable(UInt32), status String, error_type String, prompt_hash String, tags Map(String, String)')
SETTINGS optimize_on_insert = 0
