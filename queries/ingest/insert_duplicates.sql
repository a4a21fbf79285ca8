INSERT INTO ingest_duplicates (received_at, source, tenant, event_id)
SELECT {received_at:DateTime64(3, 'UTC')}, {source:String}, r.1, r.2
FROM (SELECT arrayJoin(arrayZip({tenants:Array(String)}, {event_ids:Array(String)})) AS r)
