-- Which of a commit's events are already stored, by identity (tenant, event_id) whatever their timestamp: point
-- look-ups in usage_event_ids, whose primary key is (tenant, event_id). The candidates travel with the query as TSV in
-- one String parameter (ClickHouse/TsvRowChunks.cs: nothing is left on the server between requests, so any replica can
-- answer); ClickHouse turns them into one hash set and uses it to select index ranges. They are read once: a second
-- reference (a tenant pre-filter) parsed them twice and cost more than it saved. GLOBAL: on a cluster the set is
-- built on the initiator and sent to the shards of the Distributed table.
-- select_sequential_consistency: on replicated tables (ClickHouse Cloud's SharedMergeTree, the cluster schema's
-- ReplicatedMergeTree) the replica answering first catches up with every insert acknowledged before the query, so an
-- id recorded through another replica a moment ago is seen (docs/deploy.md, "Several replicas"). Ignored by tables
-- that are not replicated (the embedded engine).
-- first_ingested_ms: when the id was first stored. A durable log's commit done again after a crash stamps what it writes
-- with its first run's instant, so it tells its own ids (stored at that instant by that run) from those stored before.
SELECT tenant, event_id, toUnixTimestamp64Milli(min(ingested_at)) AS first_ingested_ms
FROM usage_event_ids
WHERE (tenant, event_id) GLOBAL IN (SELECT tenant, event_id FROM format(TSV, 'tenant String, event_id String', {candidates:String}))
GROUP BY tenant, event_id
SETTINGS select_sequential_consistency = 1
