-- The stored-id filter's load (Ingestion/StoredIdFilter.cs): every identity in usage_event_ids as the hash the filter
-- keeps (xxh3 of the UTF-8 tenant, a zero byte and the event id: what .NET's XxHash3 gives for the same bytes), one
-- page at a time in key order. Each page starts after the last key of the one before ({after_*}, hex: any bytes come
-- back exactly) and reads only its own key range, so loading costs one pass over the table, whatever its size.
SELECT xxh3(concat(tenant, '\0', event_id)), hex(tenant), hex(event_id)
FROM usage_event_ids
WHERE tenant > unhex({after_tenant:String}) OR (tenant = unhex({after_tenant:String}) AND event_id > unhex({after_event_id:String}))
ORDER BY tenant, event_id
LIMIT {limit:UInt32}
