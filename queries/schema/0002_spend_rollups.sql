-- Hourly and daily spend, recomputed from deduplicated usage_events (FINAL) for the (tenant, hour) slices a
-- durable batch touched (queries/rollups/*). Recomputing instead of summing inserts is what keeps replays,
-- retries and concurrent writers from inflating any total: a slice is always the sum of distinct events.
-- ReplacingMergeTree(version): the newest recomputation of a slice wins; read with FINAL.
CREATE TABLE IF NOT EXISTS spend_hourly
(
    hour                DateTime('UTC'),
    tenant              LowCardinality(String),
    project             LowCardinality(String),
    user                String,
    feature             LowCardinality(String),
    provider            LowCardinality(String),
    model               LowCardinality(String),
    requests            UInt64,
    errors              UInt64,
    input_tokens        UInt64,
    output_tokens       UInt64,
    cached_input_tokens UInt64,
    cache_write_tokens  UInt64,
    reasoning_tokens    UInt64,
    cost_usd            Decimal(38, 18),
    unpriced_requests   UInt64,
    latency_p50_ms      Float64,
    latency_p95_ms      Float64,
    latency_p99_ms      Float64,
    version             DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant, hour, project, user, feature, provider, model);

CREATE TABLE IF NOT EXISTS spend_daily
(
    day                 Date,
    tenant              LowCardinality(String),
    project             LowCardinality(String),
    user                String,
    feature             LowCardinality(String),
    provider            LowCardinality(String),
    model               LowCardinality(String),
    requests            UInt64,
    errors              UInt64,
    input_tokens        UInt64,
    output_tokens       UInt64,
    cached_input_tokens UInt64,
    cache_write_tokens  UInt64,
    reasoning_tokens    UInt64,
    cost_usd            Decimal(38, 18),
    unpriced_requests   UInt64,
    latency_p50_ms      Float64,
    latency_p95_ms      Float64,
    latency_p99_ms      Float64,
    version             DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (tenant, day, project, user, feature, provider, model);

-- Every delivery of an event id that was already stored: counted and visible, never added to a total.
CREATE TABLE IF NOT EXISTS ingest_duplicates
(
    received_at DateTime64(3, 'UTC'),
    source      LowCardinality(String),
    tenant      String,
    event_id    String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (received_at, tenant);
