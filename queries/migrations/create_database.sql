-- Atomic, not chDB's default Overlay engine: refreshable materialized views need Atomic or Replicated.
CREATE DATABASE IF NOT EXISTS {database:Identifier} ENGINE = Atomic
