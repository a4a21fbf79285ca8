-- bench live: what one connection level left stored, by its tenants' prefix: events after deduplication, and the
-- requests its hourly and daily rollups count. All three must equal the events the server acknowledged.
SELECT
    (SELECT count() FROM usage_events FINAL WHERE startsWith(tenant, {prefix:String})),
    (SELECT sum(requests) FROM spend_hourly FINAL WHERE startsWith(tenant, {prefix:String})),
    (SELECT sum(requests) FROM spend_daily FINAL WHERE startsWith(tenant, {prefix:String}))
