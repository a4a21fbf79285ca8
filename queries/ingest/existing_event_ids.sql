-- Which of a batch's events are already stored. A replay carries the same tenant, id and timestamp, so the
-- batch's time range bounds the scan; the bloom filter on event_id skips most granules inside it.
SELECT DISTINCT tenant, event_id
FROM usage_events
WHERE tenant IN {tenants:Array(String)}
  AND timestamp BETWEEN {from:DateTime64(3, 'UTC')} AND {to:DateTime64(3, 'UTC')}
  AND event_id IN {event_ids:Array(String)}
