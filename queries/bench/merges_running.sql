-- Benchmarks only: merges still running in one database. bench ingest waits for the baseline's merges to finish so
-- that they do not run during (and slow down) the CostOps phase measured after it.
SELECT count() FROM system.merges WHERE database = {database:String}
