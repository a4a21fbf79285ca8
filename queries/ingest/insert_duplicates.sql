-- Deliveries of already stored event ids, each with the source it came from (a group commit joins several sources).
INSERT INTO ingest_duplicates (received_at, source, tenant, event_id)
SELECT {received_at:DateTime64(3, 'UTC')}, r.1, r.2, r.3
FROM (SELECT arrayJoin(arrayZip({sources:Array(String)}, {tenants:Array(String)}, {event_ids:Array(String)})) AS r)
