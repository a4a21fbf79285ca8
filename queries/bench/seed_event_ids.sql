-- bench live --stored-ids: the ids a service has stored after weeks of traffic, so the duplicate check each commit runs
-- meets a grown usage_event_ids instead of an empty one. Spread evenly over the tenants the levels write (each level's
-- prefix, then 't0'..'t{tenants - 1}'), with ids of the levels' own form (the prefix, then 16 hex digits) so that they
-- interleave in key order with the ids the levels post; the trailing 's' keeps every one apart from a posted id.
INSERT INTO usage_event_ids (tenant, event_id, timestamp, ingested_at)
SELECT tenant, event_id, timestamp, timestamp
FROM
(
    SELECT
        {prefixes:Array(String)}[1 + intDiv(number, {tenants:UInt32}) % length({prefixes:Array(String)})] AS prefix,
        concat(prefix, 't', toString(number % {tenants:UInt32})) AS tenant,
        concat(prefix, lower(hex(cityHash64(number))), 's') AS event_id,
        now64(3, 'UTC') - toIntervalSecond(number % 2592000) AS timestamp
    FROM numbers({count:UInt64})
)
