-- Drops a scratch table (ClickHouse/ScratchTables.cs): by the operation that made it, or by the start-up sweep
-- (maintenance/stale_scratch_tables).
DROP TABLE IF EXISTS {table:Identifier}
