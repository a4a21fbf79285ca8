-- Recommendations' day cache (schema 0013): computes and stores the usage-profile groups of the given whole UTC days
-- ({days}, each with the fingerprint its events had just before: {fingerprints}, same order), then records each day
-- as stored whole. The groups and their figures are usage_profile's partial-day part's, per day: keep the two in step
-- (ProfileDayCacheTests compares both with the events). Rows that arrive while this runs may be in the groups already:
-- they change the day's fingerprint, so the next run computes the day again.
INSERT INTO usage_profile_days
SELECT
    cityHash64({thresholds:Array(UInt64)}, {long_output:UInt64}) AS settings_key,
    toDate(timestamp) AS day,
    transform(day, {days:Array(Date)}, {fingerprints:Array(UInt64)}, toUInt64(0)) AS fingerprint,
    tenant, project, feature, provider,
    if(canonical_model = '', model, canonical_model) AS scope_model,
    toUInt8(arrayCount(t -> input_tokens > t, {thresholds:Array(UInt64)})) AS bucket,
    batch AS is_batch,
    ifNull(interactive = false, false) AS non_interactive,
    count(),
    sum(input_tokens),
    sum(output_tokens),
    sum(cached_input_tokens),
    sum(cache_write_tokens),
    sum(reasoning_tokens),
    countIf(status != 'ok'),
    countIf(price_status IN ('unknown_model', 'estimated_price')),
    countIf(output_tokens > {long_output:UInt64}),
    max(input_tokens),
    max(output_tokens),
    sum(cost_usd)
FROM usage_events FINAL
WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
  AND toDate(timestamp) IN {days:Array(Date)}
GROUP BY day, tenant, project, feature, provider, scope_model, bucket, is_batch, non_interactive;

INSERT INTO usage_profile_day_state
SELECT cityHash64({thresholds:Array(UInt64)}, {long_output:UInt64}), stored.1, stored.2
FROM (SELECT arrayJoin(arrayZip({days:Array(Date)}, {fingerprints:Array(UInt64)})) AS stored);
