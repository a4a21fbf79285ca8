-- usage_event_ids forgets an id once no copy of its event can be accepted any more, so it no longer grows like
-- usage_events. A copy with the event's own timestamp is refused once that timestamp is Ingestion:MaxEventAgeDays old.
-- Ingestion writes expires_at = the later of the timestamp and the ingestion instant, plus that window, which also keeps
-- the id through the window for a re-stamped retry. Ids stored before this migration take the default window (400
-- days). Widening the window later does not lengthen the life of ids already stored (docs/ingestion.md).
ALTER TABLE usage_event_ids ADD COLUMN IF NOT EXISTS expires_at DateTime64(3, 'UTC') DEFAULT greatest(timestamp, ingested_at) + INTERVAL 400 DAY;

-- TTL on the replicated local tables only: a Distributed table stores nothing.
ALTER TABLE usage_event_ids MODIFY TTL toDateTime(expires_at);
