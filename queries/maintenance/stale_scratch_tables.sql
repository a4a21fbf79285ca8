-- Per-operation scratch tables (a duplicate check's candidate ids, an evaluation tick's budgets) are dropped by the
-- operation itself; one left behind by a crash between create and drop is found here, once older than any operation.
SELECT name
FROM system.tables
WHERE database = currentDatabase()
  AND engine = 'Memory'
  AND arrayExists(p -> startsWith(name, p), {prefixes:Array(String)})
  AND metadata_modification_time <= now() - toIntervalSecond({min_age_seconds:UInt32})
ORDER BY name
