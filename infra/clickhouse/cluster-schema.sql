-- CostOps schema for a ClickHouse cluster (ReplicatedMergeTree + Distributed, ON CLUSTER 'default').
-- GENERATED from queries/schema/*.sql by CostOps.Infrastructure.Sql.ClusterSchema: edit the migrations, not this file.
-- The replication paths use the server macros {shard} and {replica}, which every replica defines (ClickHouse Cloud does).

-- 0001_usage_events

-- Priced usage events: one row per LLM call (usage event v1, docs/usage-event.md), with its price.
-- ReplacingMergeTree: a replayed event (same tenant, event id and timestamp) collapses into one row. Queries that
-- need exact totals read it deduplicated (FINAL, or the rollups recomputed from it). The sort key leads with
-- tenant and hour so that recomputing one (tenant, hour) slice reads only that slice.
-- Money is Decimal(38, 18): a single token at $0.0375 per million costs 0.0000000375, so 9 places are not enough.
CREATE TABLE IF NOT EXISTS usage_events_local ON CLUSTER 'default'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/usage_events_local', '{replica}', ingested_at)
PARTITION BY toYYYYMM(timestamp)
ORDER BY (tenant, toStartOfHour(timestamp), event_id);

-- usage_events: what the application reads and writes; rows go to the shard of their tenant.
CREATE TABLE IF NOT EXISTS usage_events ON CLUSTER 'default' AS usage_events_local
ENGINE = Distributed('default', currentDatabase(), usage_events_local, cityHash64(tenant));

-- Events refused at ingestion, kept with their reason and (bounded) raw payload for inspection.
CREATE TABLE IF NOT EXISTS ingest_rejects_local ON CLUSTER 'default'
(
    received_at DateTime64(3, 'UTC'),
    source      LowCardinality(String),
    event_id    String DEFAULT '',
    tenant      String DEFAULT '',
    reason      String,
    raw         String
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/ingest_rejects_local', '{replica}')
PARTITION BY toYYYYMM(received_at)
ORDER BY (received_at, source);

-- ingest_rejects: what the application reads and writes; rows go to the shard of their tenant.
CREATE TABLE IF NOT EXISTS ingest_rejects ON CLUSTER 'default' AS ingest_rejects_local
ENGINE = Distributed('default', currentDatabase(), ingest_rejects_local, cityHash64(tenant));

-- 0002_spend_rollups

-- Hourly and daily spend, recomputed from deduplicated usage_events (FINAL) for the (tenant, hour) slices a
-- durable batch touched (queries/rollups/*). Recomputing instead of summing inserts is what keeps replays,
-- retries and concurrent writers from inflating any total: a slice is always the sum of distinct events.
-- ReplacingMergeTree(version): the newest recomputation of a slice wins; read with FINAL.
CREATE TABLE IF NOT EXISTS spend_hourly_local ON CLUSTER 'default'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/spend_hourly_local', '{replica}', version)
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant, hour, project, user, feature, provider, model);

-- spend_hourly: what the application reads and writes; rows go to the shard of their tenant.
CREATE TABLE IF NOT EXISTS spend_hourly ON CLUSTER 'default' AS spend_hourly_local
ENGINE = Distributed('default', currentDatabase(), spend_hourly_local, cityHash64(tenant));

CREATE TABLE IF NOT EXISTS spend_daily_local ON CLUSTER 'default'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/spend_daily_local', '{replica}', version)
PARTITION BY toYYYYMM(day)
ORDER BY (tenant, day, project, user, feature, provider, model);

-- spend_daily: what the application reads and writes; rows go to the shard of their tenant.
CREATE TABLE IF NOT EXISTS spend_daily ON CLUSTER 'default' AS spend_daily_local
ENGINE = Distributed('default', currentDatabase(), spend_daily_local, cityHash64(tenant));

-- Every delivery of an event id that was already stored: counted and visible, never added to a total.
CREATE TABLE IF NOT EXISTS ingest_duplicates_local ON CLUSTER 'default'
(
    received_at DateTime64(3, 'UTC'),
    source      LowCardinality(String),
    tenant      String,
    event_id    String
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/ingest_duplicates_local', '{replica}')
PARTITION BY toYYYYMM(received_at)
ORDER BY (received_at, tenant);

-- ingest_duplicates: what the application reads and writes; rows go to the shard of their tenant.
CREATE TABLE IF NOT EXISTS ingest_duplicates ON CLUSTER 'default' AS ingest_duplicates_local
ENGINE = Distributed('default', currentDatabase(), ingest_duplicates_local, cityHash64(tenant));

-- 0003_budget_alerts

-- Every budget alert CostOps fired, for dashboards to annotate (Grafana annotations) and for audit.
-- One row per alert id (budget, period, threshold, kind, limit). A second evaluator that loses the outbox race may
-- still write its copy: the insert carries the alert id as deduplication token, and ReplacingMergeTree keyed by the
-- alert id collapses any survivor (read with FINAL for exact counts).
CREATE TABLE IF NOT EXISTS budget_alerts_local ON CLUSTER 'default'
(
    alert_id      String,
    fired_at      DateTime64(3, 'UTC'),
    budget_id     String,
    tenant        LowCardinality(String),
    scope         String,
    period_kind   LowCardinality(String),
    period_key    String,
    period_start  DateTime('UTC'),
    period_end    DateTime('UTC'),
    threshold     UInt16,
    kind          LowCardinality(String),
    limit_usd     Decimal(38, 18),
    spend_usd     Decimal(38, 18),
    forecast_usd  Decimal(38, 18),
    percent       Decimal(18, 2),
    channels      Array(LowCardinality(String)),
    summary       String
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/budget_alerts_local', '{replica}')
PARTITION BY toYYYYMM(fired_at)
ORDER BY (tenant, budget_id, alert_id);

-- budget_alerts: what the application reads and writes; rows go to the shard of their tenant.
CREATE TABLE IF NOT EXISTS budget_alerts ON CLUSTER 'default' AS budget_alerts_local
ENGINE = Distributed('default', currentDatabase(), budget_alerts_local, cityHash64(tenant));

-- 0004_routing_recommendations

-- Routing recommendations (docs/recommendations.md): every analysis run writes its whole set under a new run_id, so
-- earlier sets stay readable and runs can be compared. recommendation_id is stable across runs for the same proposal
-- (kind, scope, models, budget): accept/dismiss state (Azure Tables) and digests key on it.
-- Money is Decimal(38, 18) like usage_events: re-priced costs are exact to the femto-dollar.
CREATE TABLE IF NOT EXISTS routing_recommendations_local ON CLUSTER 'default'
(
    run_id                 String,
    run_at                 DateTime64(3, 'UTC'),
    window_days            UInt16,
    recommendation_id      String,
    kind                   LowCardinality(String),
    tenant                 LowCardinality(String),
    project                LowCardinality(String),
    feature                LowCardinality(String),
    provider               LowCardinality(String),
    current_model          LowCardinality(String),
    suggested_provider     LowCardinality(String),
    suggested_model        LowCardinality(String),
    budget_id              String,
    requests               UInt64,
    observed_cost_usd      Decimal(38, 18),
    projected_cost_usd     Decimal(38, 18),
    estimated_savings_usd  Decimal(38, 18),
    traffic_share          Decimal(9, 4),
    confidence             Decimal(5, 2),
    rationale              String
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/routing_recommendations_local', '{replica}')
PARTITION BY toYYYYMM(run_at)
ORDER BY (tenant, run_at, run_id, recommendation_id);

-- routing_recommendations: what the application reads and writes; rows go to the shard of their tenant.
CREATE TABLE IF NOT EXISTS routing_recommendations ON CLUSTER 'default' AS routing_recommendations_local
ENGINE = Distributed('default', currentDatabase(), routing_recommendations_local, cityHash64(tenant));

-- One row per run, written after its recommendations: a run with nothing to recommend is still a run, and the
-- latest run (not the latest recommendation) is what "current recommendations" means.
CREATE TABLE IF NOT EXISTS recommendation_runs_local ON CLUSTER 'default'
(
    run_id           String,
    run_at           DateTime64(3, 'UTC'),
    window_days      UInt16,
    tenant_filter    String,
    scheduled        Bool,
    scopes           UInt64,
    recommendations  UInt64,
    elapsed_ms       UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/recommendation_runs_local', '{replica}')
ORDER BY (run_at, run_id);

-- recommendation_runs: what the application reads and writes; rows go to the shard of a random choice.
CREATE TABLE IF NOT EXISTS recommendation_runs ON CLUSTER 'default' AS recommendation_runs_local
ENGINE = Distributed('default', currentDatabase(), recommendation_runs_local, rand());

-- 0005_daily_rollup_from_hourly

-- spend_daily is summed from spend_hourly from now on (queries/rollups/recompute_daily.sql) instead of recomputed from
-- raw events: a batch then reads the hours of its days, not every event of its tenants' days (measured: a 1,000-event
-- batch into a tenant-day holding 400,000 events took 1 s longer than into an empty table). Daily latency percentiles
-- cannot be derived from hourly ones, and nothing read them: latency stays per hour in spend_hourly (exact) and per
-- call in usage_events.
ALTER TABLE spend_daily_local ON CLUSTER 'default' DROP COLUMN IF EXISTS latency_p50_ms, DROP COLUMN IF EXISTS latency_p95_ms, DROP COLUMN IF EXISTS latency_p99_ms;

ALTER TABLE spend_daily ON CLUSTER 'default' DROP COLUMN IF EXISTS latency_p50_ms, DROP COLUMN IF EXISTS latency_p95_ms, DROP COLUMN IF EXISTS latency_p99_ms;

-- 0006_request_hash_and_details

-- The other two cost levers (docs/recommendations.md, response_cache and distillation).
-- request_hash: a hash of the whole request in the canonical form of docs/usage-event.md (equal hashes are identical
-- requests, which a response cache would answer); temperature: the call's sampling temperature, to 3 places (a cached
-- answer suits deterministic calls). Both optional: '' and NULL when a producer does not send them.
ALTER TABLE usage_events_local ON CLUSTER 'default' ADD COLUMN IF NOT EXISTS request_hash String DEFAULT '', ADD COLUMN IF NOT EXISTS temperature Nullable(Decimal(9, 3));

ALTER TABLE usage_events ON CLUSTER 'default' ADD COLUMN IF NOT EXISTS request_hash String DEFAULT '', ADD COLUMN IF NOT EXISTS temperature Nullable(Decimal(9, 3));

-- Figures a kind needs beyond the common ones (a cache lifetime's share and saving, a fine-tuning cost and break-even),
-- as exact decimal text keyed by name: the API shows them as they were computed.
ALTER TABLE routing_recommendations_local ON CLUSTER 'default' ADD COLUMN IF NOT EXISTS details Map(LowCardinality(String), String);

ALTER TABLE routing_recommendations ON CLUSTER 'default' ADD COLUMN IF NOT EXISTS details Map(LowCardinality(String), String);

-- 0007_estimated_spend

-- Spend of models without a price of their own, priced at the fallback estimate (price_status = 'estimated_price',
-- docs/pricing.md#unknown-models): kept apart in the rollups so spend, budgets and alerts can say how much of a total
-- is estimated. It is part of cost_usd too (estimated traffic counts against budgets); unpriced_requests counts
-- these calls as well as the unknown_model ones.
ALTER TABLE spend_hourly_local ON CLUSTER 'default' ADD COLUMN IF NOT EXISTS estimated_cost_usd Decimal(38, 18) DEFAULT 0 AFTER unpriced_requests;

ALTER TABLE spend_hourly ON CLUSTER 'default' ADD COLUMN IF NOT EXISTS estimated_cost_usd Decimal(38, 18) DEFAULT 0 AFTER unpriced_requests;

ALTER TABLE spend_daily_local ON CLUSTER 'default' ADD COLUMN IF NOT EXISTS estimated_cost_usd Decimal(38, 18) DEFAULT 0 AFTER unpriced_requests;

ALTER TABLE spend_daily ON CLUSTER 'default' ADD COLUMN IF NOT EXISTS estimated_cost_usd Decimal(38, 18) DEFAULT 0 AFTER unpriced_requests;

-- 0009_usage_event_ids

-- An event's identity is (tenant, event_id), whatever its timestamp: a producer that re-sends an id with another
-- timestamp (a retry that re-stamps the event) sends a duplicate, and the first one stays. usage_events is ordered by
-- (tenant, hour, event_id), so finding an id there needs the batch's time range and misses a re-stamped copy; this
-- table is ordered by (tenant, event_id) for point look-ups whatever the time (ingest/existing_event_ids). Written
-- right after each usage_events insert (a crash in between is repaired by the replay: the events are found missing
-- here, inserted again, and collapse in usage_events by their unchanged key).
CREATE TABLE IF NOT EXISTS usage_event_ids_local ON CLUSTER 'default'
(
    tenant      LowCardinality(String),
    event_id    String,
    timestamp   DateTime64(3, 'UTC'),
    ingested_at DateTime64(3, 'UTC')
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/usage_event_ids_local', '{replica}')
ORDER BY (tenant, event_id);

-- usage_event_ids: what the application reads and writes; rows go to the shard of their tenant.
CREATE TABLE IF NOT EXISTS usage_event_ids ON CLUSTER 'default' AS usage_event_ids_local
ENGINE = Distributed('default', currentDatabase(), usage_event_ids_local, cityHash64(tenant));

-- Ids stored before this table existed (once, when the migration is applied; a rerun after a crash inserts rows the
-- table collapses).
INSERT INTO usage_event_ids SELECT tenant, event_id, min(timestamp), max(ingested_at) FROM usage_events GROUP BY tenant, event_id;

-- 0010_event_id_retention

-- usage_event_ids forgets an id once no copy of its event can be accepted any more, so it no longer grows like
-- usage_events. A copy with the event's own timestamp is refused once that timestamp is Ingestion:MaxEventAgeDays old.
-- Ingestion writes expires_at = the later of the timestamp and the ingestion instant, plus that window, which also keeps
-- the id through the window for a re-stamped retry. Ids stored before this migration take the default window (400
-- days). Widening the window later does not lengthen the life of ids already stored (docs/ingestion.md).
ALTER TABLE usage_event_ids_local ON CLUSTER 'default' ADD COLUMN IF NOT EXISTS expires_at DateTime64(3, 'UTC') DEFAULT greatest(timestamp, ingested_at) + INTERVAL 400 DAY;

ALTER TABLE usage_event_ids ON CLUSTER 'default' ADD COLUMN IF NOT EXISTS expires_at DateTime64(3, 'UTC') DEFAULT greatest(timestamp, ingested_at) + INTERVAL 400 DAY;

-- TTL on the replicated local tables only: a Distributed table stores nothing.
ALTER TABLE usage_event_ids_local ON CLUSTER 'default' MODIFY TTL toDateTime(expires_at);

-- 0011_usage_units

-- Units beyond tokens (issue 13, docs/usage-event.md#units): images, seconds of audio and of video (exact to the
-- microsecond, as the contract allows), characters and web searches, each 0 when a producer does not send it; the tier
-- the call was served at (service_tier) and an Azure deployment's data-processing type (deployment_type), '' when not
-- sent; and units_cost_usd, the part of cost_usd those units cost (0 for every row stored before, which had none).
ALTER TABLE usage_events_local ON CLUSTER 'default' ADD COLUMN IF NOT EXISTS images UInt64 DEFAULT 0, ADD COLUMN IF NOT EXISTS audio_seconds Decimal(18, 6) DEFAULT 0, ADD COLUMN IF NOT EXISTS video_seconds Decimal(18, 6) DEFAULT 0, ADD COLUMN IF NOT EXISTS characters UInt64 DEFAULT 0, ADD COLUMN IF NOT EXISTS web_searches UInt64 DEFAULT 0, ADD COLUMN IF NOT EXISTS service_tier LowCardinality(String) DEFAULT '', ADD COLUMN IF NOT EXISTS deployment_type LowCardinality(String) DEFAULT '', ADD COLUMN IF NOT EXISTS units_cost_usd Decimal(38, 18) DEFAULT 0;

ALTER TABLE usage_events ON CLUSTER 'default' ADD COLUMN IF NOT EXISTS images UInt64 DEFAULT 0, ADD COLUMN IF NOT EXISTS audio_seconds Decimal(18, 6) DEFAULT 0, ADD COLUMN IF NOT EXISTS video_seconds Decimal(18, 6) DEFAULT 0, ADD COLUMN IF NOT EXISTS characters UInt64 DEFAULT 0, ADD COLUMN IF NOT EXISTS web_searches UInt64 DEFAULT 0, ADD COLUMN IF NOT EXISTS service_tier LowCardinality(String) DEFAULT '', ADD COLUMN IF NOT EXISTS deployment_type LowCardinality(String) DEFAULT '', ADD COLUMN IF NOT EXISTS units_cost_usd Decimal(38, 18) DEFAULT 0;

-- 0012_admission_refusals

-- Every call a blocking budget refused at admission (429), for the report's burn-down markers, dashboards and audit:
-- what was asked, on which budget and period, and how much room was left. One row per budget and request id: a request
-- refused again (the gateway's retry) keeps one row (ReplacingMergeTree; read with FINAL for exact counts).
CREATE TABLE IF NOT EXISTS admission_refusals_local ON CLUSTER 'default'
(
    refused_at     DateTime64(3, 'UTC'),
    budget_id      String,
    period_key     String,
    tenant         LowCardinality(String),
    request_id     String,
    model          LowCardinality(String),
    requested_usd  Decimal(38, 18),
    remaining_usd  Decimal(38, 18)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/admission_refusals_local', '{replica}')
PARTITION BY toYYYYMM(refused_at)
ORDER BY (tenant, budget_id, request_id);

-- admission_refusals: what the application reads and writes; rows go to the shard of their tenant.
CREATE TABLE IF NOT EXISTS admission_refusals ON CLUSTER 'default' AS admission_refusals_local
ENGINE = Distributed('default', currentDatabase(), admission_refusals_local, cityHash64(tenant));

-- 0013_usage_profile_days

-- Recommendations: the usage profile (recommendations/usage_profile's groups) of whole UTC days, kept so that a run
-- reads 30 days of these groups instead of 30 days of events. A day's groups are computed from usage_events FINAL and
-- stored under the fingerprint of the day's event rows they were computed from (recommendations/profile_day_fingerprints):
-- usage_profile_day_state records each (day, fingerprint) whose groups were stored whole. A run computes only the days
-- whose fingerprint has no state yet (new days, late events, re-prices, merges, retention all change it) and reads the
-- others. settings_key: cityHash64 of the tier thresholds and the long-output bound the groups are cut with, so a catalog
-- with other thresholds gets groups of its own. Groups stored twice (two runs at once, or a crash between the two
-- inserts and a rerun) are identical and collapse: ReplacingMergeTree, read with FINAL.
CREATE TABLE IF NOT EXISTS usage_profile_days_local ON CLUSTER 'default'
(
    settings_key    UInt64,
    day             Date,
    fingerprint     UInt64,
    tenant          LowCardinality(String),
    project         LowCardinality(String),
    feature         LowCardinality(String),
    provider        LowCardinality(String),
    model           LowCardinality(String),
    bucket          UInt8,
    is_batch        Bool,
    non_interactive Bool,
    n_requests      UInt64,
    n_input         UInt64,
    n_output        UInt64,
    n_cached        UInt64,
    n_cache_write   UInt64,
    n_reasoning     UInt64,
    n_errors        UInt64,
    n_unpriced      UInt64,
    n_long_output   UInt64,
    max_input       UInt64,
    max_output      UInt64,
    n_cost          Decimal(38, 18)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/usage_profile_days_local', '{replica}')
PARTITION BY toYYYYMM(day)
ORDER BY (settings_key, day, fingerprint, tenant, project, feature, provider, model, bucket, is_batch, non_interactive);

-- usage_profile_days: what the application reads and writes; rows go to the shard of their tenant.
CREATE TABLE IF NOT EXISTS usage_profile_days ON CLUSTER 'default' AS usage_profile_days_local
ENGINE = Distributed('default', currentDatabase(), usage_profile_days_local, cityHash64(tenant));

CREATE TABLE IF NOT EXISTS usage_profile_day_state_local ON CLUSTER 'default'
(
    settings_key UInt64,
    day          Date,
    fingerprint  UInt64
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/usage_profile_day_state_local', '{replica}')
PARTITION BY toYYYYMM(day)
ORDER BY (settings_key, day, fingerprint);

-- usage_profile_day_state: what the application reads and writes; rows go to the shard of a random choice.
CREATE TABLE IF NOT EXISTS usage_profile_day_state ON CLUSTER 'default' AS usage_profile_day_state_local
ENGINE = Distributed('default', currentDatabase(), usage_profile_day_state_local, rand());

-- A window spans at most 366 days (RecommendationOptions.WindowDays), so groups of older days are never read again:
-- a day's superseded fingerprints stay until then (a day is computed again only when its events change).
-- TTL on the replicated local tables only: a Distributed table stores nothing.
ALTER TABLE usage_profile_days_local ON CLUSTER 'default' MODIFY TTL day + INTERVAL 400 DAY;

ALTER TABLE usage_profile_day_state_local ON CLUSTER 'default' MODIFY TTL day + INTERVAL 400 DAY;

-- 0014_duplicates_insert_deduplication
