-- ingest_duplicates keeps the tokens of its last 1,000 inserts, as ingest_rejects does since 0001: a durable log's
-- commit done again after a crash (Ingestion:Acknowledge=Logged) inserts its duplicates under the token of its first
-- run, and ClickHouse drops the block when that run's landed, so no delivery is recorded twice.
ALTER TABLE ingest_duplicates MODIFY SETTING non_replicated_deduplication_window = 1000
