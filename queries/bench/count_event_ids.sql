-- bench live --stored-ids: how many ids the duplicate check meets before the first level (the seed, as stored).
SELECT count() FROM usage_event_ids
