-- Drops a tick's budget table (see budgets/create_input).
DROP TABLE IF EXISTS {table:Identifier}
