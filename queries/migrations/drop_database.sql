-- Throwaway databases only (benchmarks, tests): never run on the configured one.
DROP DATABASE IF EXISTS {database:Identifier}
