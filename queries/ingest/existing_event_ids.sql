-- Which of a batch's events are already stored. A replay carries the same tenant, id and timestamp, so the
-- batch's time range bounds the scan. The ids go through a subquery so ClickHouse builds one hash set: a plain
-- `IN {array}` was evaluated as a constant array per row (about 300x slower for 50,000 ids).
SELECT DISTINCT tenant, event_id
FROM usage_events
WHERE tenant IN {tenants:Array(String)}
  AND timestamp BETWEEN {from:DateTime64(3, 'UTC')} AND {to:DateTime64(3, 'UTC')}
  AND event_id IN (SELECT arrayJoin({event_ids:Array(String)}))
