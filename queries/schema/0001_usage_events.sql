-- Priced usage events: one row per LLM call (usage event v1, docs/usage-event.md), with its price.
-- ReplacingMergeTree: a replayed event (same tenant, event id and timestamp) collapses into one row. Queries that
-- need exact totals read it deduplicated (FINAL, or the rollups recomputed from it). The sort key leads with
-- tenant and hour so that recomputing one (tenant, hour) slice reads only that slice.
-- Money is Decimal(38, 18): a single token at $0.0375 per million costs 0.0000000375, so 9 places are not enough.
CREATE TABLE IF NOT EXISTS usage_events
(
    event_id             String,
    timestamp            DateTime64(3, 'UTC'),
    tenant               LowCardinality(String),
    project              LowCardinality(String) DEFAULT '',
    user                 String DEFAULT '',
    feature              LowCardinality(String) DEFAULT '',
    provider             LowCardinality(String) DEFAULT '',
    model                LowCardinality(String),
    canonical_model      LowCardinality(String) DEFAULT '',
    deployment           LowCardinality(String) DEFAULT '',
    input_tokens         UInt64,
    output_tokens        UInt64,
    cached_input_tokens  UInt64 DEFAULT 0,
    cache_write_tokens   UInt64 DEFAULT 0,
    reasoning_tokens     UInt64 DEFAULT 0,
    batch                Bool DEFAULT false,
    interactive          Nullable(Bool),
    latency_ms           Nullable(UInt32),
    status               LowCardinality(String) DEFAULT 'ok',
    error_type           LowCardinality(String) DEFAULT '',
    prompt_hash          String DEFAULT '',
    tags                 Map(LowCardinality(String), String),
    cost_usd             Decimal(38, 18),
    input_cost_usd       Decimal(38, 18) DEFAULT 0,
    cache_read_cost_usd  Decimal(38, 18) DEFAULT 0,
    cache_write_cost_usd Decimal(38, 18) DEFAULT 0,
    output_cost_usd      Decimal(38, 18) DEFAULT 0,
    request_fee_usd      Decimal(38, 18) DEFAULT 0,
    price_status         LowCardinality(String),
    price_version        LowCardinality(String) DEFAULT '',
    source               LowCardinality(String) DEFAULT '',
    ingested_at          DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(timestamp)
ORDER BY (tenant, toStartOfHour(timestamp), event_id)
SETTINGS non_replicated_deduplication_window = 1000;

-- Events refused at ingestion, kept with their reason and (bounded) raw payload for inspection.
CREATE TABLE IF NOT EXISTS ingest_rejects
(
    received_at DateTime64(3, 'UTC'),
    source      LowCardinality(String),
    event_id    String DEFAULT '',
    tenant      String DEFAULT '',
    reason      String,
    raw         String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (received_at, source)
SETTINGS non_replicated_deduplication_window = 1000;
