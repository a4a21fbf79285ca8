-- Benchmarks: rows stored in usage_events (before deduplication), to check a run stored every accepted event.
SELECT count() FROM usage_events
