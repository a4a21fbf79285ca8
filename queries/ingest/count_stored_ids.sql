-- How many identities usage_event_ids holds: the stored-id filter is sized from it (Ingestion/StoredIdFilter.cs), and
-- bench live --stored-ids reports what its seed left.
SELECT count() FROM usage_event_ids
