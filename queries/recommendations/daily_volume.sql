-- Recommendations input for distillation: how steady the traffic of the candidate scopes is ({keys}: scope_key as in
-- usage_profile, of scopes whose volume and model already qualify; {tenants} and {models} narrow the scan to them).
-- Days are 24-hour buckets counted back from {to}, so the window's {days} buckets are all whole days. Per scope: days
-- with calls, and the coefficient of variation of calls per day over all {days} days (days without calls count as 0)
-- and of output tokens per call. Signals, not money: computed in Float64, returned rounded to four places.
SELECT
    scope_key,
    count() AS active_days,
    toDecimal64(round(if(sum(calls) = 0, 0,
        sqrt(greatest(sum(calls * calls) / {days:UInt32} - pow(sum(calls) / {days:UInt32}, 2), 0)) / (sum(calls) / {days:UInt32})), 4), 4) AS daily_variation,
    toDecimal64(round(if(sum(output) = 0, 0,
        sqrt(greatest(sum(output_sq) / sum(calls) - pow(sum(output) / sum(calls), 2), 0)) / (sum(output) / sum(calls))), 4), 4) AS output_variation
FROM
(
    SELECT
        cityHash64(tenant, project, feature, provider, canonical_model) AS scope_key,
        intDiv(toUnixTimestamp64Milli({to:DateTime64(3, 'UTC')}) - 1 - toUnixTimestamp64Milli(timestamp), 86400000) AS day,
        toFloat64(count()) AS calls,
        toFloat64(sum(output_tokens)) AS output,
        sum(toFloat64(output_tokens) * output_tokens) AS output_sq
    FROM usage_events FINAL
    -- PREWHERE before FINAL: an event's tenant never changes between versions, its canonical model only when a reprice
    -- resolves it differently (a new alias); these are steadiness signals, not money, and the filter keeps the scan to
    -- the candidates' tenants and models.
    PREWHERE tenant IN {tenants:Array(String)} AND canonical_model IN {models:Array(String)}
    WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
      AND scope_key IN {keys:Array(UInt64)}
    GROUP BY scope_key, day
)
GROUP BY scope_key
ORDER BY scope_key
