INSERT INTO ingest_rejects (received_at, source, event_id, tenant, reason, raw)
SELECT {received_at:DateTime64(3, 'UTC')}, {source:String}, event_id, tenant, reason, raw
FROM (
    SELECT
        arrayJoin(arrayZip({event_ids:Array(String)}, {tenants:Array(String)}, {reasons:Array(String)}, {raws:Array(String)})) AS r,
        r.1 AS event_id, r.2 AS tenant, r.3 AS reason, r.4 AS raw
)
