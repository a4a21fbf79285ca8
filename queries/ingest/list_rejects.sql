SELECT received_at, source, event_id, tenant, reason, substring(raw, 1, {raw_chars:UInt32}) AS raw
FROM ingest_rejects
WHERE ({tenant:String} = '' OR tenant = {tenant:String})
ORDER BY received_at DESC
LIMIT {limit:UInt32}
SETTINGS output_format_json_quote_64bit_integers = 0
