-- Every budget alert CostOps fired, for dashboards to annotate (Grafana annotations) and for audit.
-- One row per alert id (budget, period, threshold, kind, limit). A second evaluator that loses the outbox race may
-- still write its copy: the insert carries the alert id as deduplication token, and ReplacingMergeTree keyed by the
-- alert id collapses any survivor (read with FINAL for exact counts).
CREATE TABLE IF NOT EXISTS budget_alerts
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
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(fired_at)
ORDER BY (tenant, budget_id, alert_id)
SETTINGS non_replicated_deduplication_window = 1000;
