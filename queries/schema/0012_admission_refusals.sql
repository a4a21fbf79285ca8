-- Every call a blocking budget refused at admission (429), for the report's burn-down markers, dashboards and audit:
-- what was asked, on which budget and period, and how much room was left. One row per budget and request id: a request
-- refused again (the gateway's retry) keeps one row (ReplacingMergeTree; read with FINAL for exact counts).
CREATE TABLE IF NOT EXISTS admission_refusals
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
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(refused_at)
ORDER BY (tenant, budget_id, request_id)
