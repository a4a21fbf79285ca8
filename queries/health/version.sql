-- Health check: the ClickHouse version answering (embedded chDB or the server), proving a round trip works.
SELECT version()
