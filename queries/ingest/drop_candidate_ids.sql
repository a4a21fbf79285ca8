-- Drops a duplicate check's id table (ingest/create_candidate_ids).
DROP TABLE IF EXISTS {table:Identifier}
