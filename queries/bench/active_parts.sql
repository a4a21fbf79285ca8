-- Benchmarks only: the active parts of one table (how much a FINAL read has to merge), reported beside the timings.
SELECT count() FROM system.parts WHERE database = {database:String} AND table = {table:String} AND active
