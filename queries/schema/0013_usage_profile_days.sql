-- Recommendations: the usage profile (recommendations/usage_profile's groups) of whole UTC days, kept so that a run
-- reads 30 days of these groups instead of 30 days of events. A day's groups are computed from usage_events FINAL and
-- stored under the fingerprint of the day's event rows they were computed from (recommendations/profile_day_fingerprints):
-- usage_profile_day_state records each (day, fingerprint) whose groups were stored whole. A run computes only the days
-- whose fingerprint has no state yet (new days, late events, re-prices, merges, retention all change it) and reads the
-- others. settings_key: cityHash64 of the tier thresholds and the long-output bound the groups are cut with, so a catalog
-- with other thresholds gets groups of its own. Groups stored twice (two runs at once, or a crash between the two
-- inserts and a rerun) are identical and collapse: ReplacingMergeTree, read with FINAL.
CREATE TABLE IF NOT EXISTS usage_profile_days
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
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (settings_key, day, fingerprint, tenant, project, feature, provider, model, bucket, is_batch, non_interactive);

CREATE TABLE IF NOT EXISTS usage_profile_day_state
(
    settings_key UInt64,
    day          Date,
    fingerprint  UInt64
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (settings_key, day, fingerprint);

-- A window spans at most 366 days (RecommendationOptions.WindowDays), so groups of older days are never read again:
-- a day's superseded fingerprints stay until then (a day is computed again only when its events change).
-- TTL on the replicated local tables only: a Distributed table stores nothing.
ALTER TABLE usage_profile_days MODIFY TTL day + INTERVAL 400 DAY;

ALTER TABLE usage_profile_day_state MODIFY TTL day + INTERVAL 400 DAY;
