-- Rejected events with their reasons, each with the source it came from (a group commit joins several sources).
INSERT INTO ingest_rejects (received_at, source, event_id, tenant, reason, raw)
SELECT {received_at:DateTime64(3, 'UTC')}, source, event_id, tenant, reason, raw
FROM (
    SELECT
        arrayJoin(arrayZip({sources:Array(String)}, {event_ids:Array(String)}, {tenants:Array(String)}, {reasons:Array(String)}, {raws:Array(String)})) AS r,
        r.1 AS source, r.2 AS event_id, r.3 AS tenant, r.4 AS reason, r.5 AS raw
)
