-- Routing recommendations (docs/recommendations.md): every analysis run writes its whole set under a new run_id, so
-- earlier sets stay readable and runs can be compared. recommendation_id is stable across runs for the same proposal
-- (kind, scope, models, budget): accept/dismiss state (Azure Tables) and digests key on it.
-- Money is Decimal(38, 18) like usage_events: re-priced costs are exact to the femto-dollar.
CREATE TABLE IF NOT EXISTS routing_recommendations
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
ENGINE = MergeTree
PARTITION BY toYYYYMM(run_at)
ORDER BY (tenant, run_at, run_id, recommendation_id)
SETTINGS non_replicated_deduplication_window = 100;

-- One row per run, written after its recommendations: a run with nothing to recommend is still a run, and the
-- latest run (not the latest recommendation) is what "current recommendations" means.
CREATE TABLE IF NOT EXISTS recommendation_runs
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
ENGINE = MergeTree
ORDER BY (run_at, run_id)
SETTINGS non_replicated_deduplication_window = 100;
