-- Recommendations input for distillation: how steady each scope's traffic is (scope_key as in usage_profile), only for
-- the models large enough to distil ({models}, canonical ids). Days are 24-hour buckets counted back from {to}, so the
-- window's {days} buckets are all whole days. Per scope: days with calls, the coefficient of variation of calls per day
-- over all {days} days (days without calls count as 0), and of output tokens per call, and the calls that repeat a
-- prompt prefix (prompt_hash) already seen in the window: calls with a prefix minus distinct prefixes, whatever the
-- prompt's length. The variations are signals, not money: computed in Float64, returned rounded to four places.
SELECT
    scope_key,
    count() AS active_days,
    toDecimal64(round(if(sum(calls) = 0, 0,
        sqrt(greatest(sum(calls * calls) / {days:UInt32} - pow(sum(calls) / {days:UInt32}, 2), 0)) / (sum(calls) / {days:UInt32})), 4), 4) AS daily_variation,
    toDecimal64(round(if(sum(output) = 0, 0,
        sqrt(greatest(sum(output_sq) / sum(calls) - pow(sum(output) / sum(calls), 2), 0)) / (sum(output) / sum(calls))), 4), 4) AS output_variation,
    sum(with_prefix) - uniqExactMerge(prefixes) AS repeated_prefix_calls
FROM
(
    SELECT
        cityHash64(tenant, project, feature, provider, canonical_model) AS scope_key,
        intDiv(toUnixTimestamp64Milli({to:DateTime64(3, 'UTC')}) - 1 - toUnixTimestamp64Milli(timestamp), 86400000) AS day,
        toFloat64(count()) AS calls,
        toFloat64(sum(output_tokens)) AS output,
        sum(toFloat64(output_tokens) * output_tokens) AS output_sq,
        countIf(prompt_hash != '') AS with_prefix,
        uniqExactState(if(prompt_hash = '', NULL, prompt_hash)) AS prefixes
    FROM usage_events FINAL
    -- PREWHERE before FINAL: the canonical model of an event changes between versions only when a reprice resolves it
    -- differently (a new alias), and these are steadiness signals, not money; the filter keeps the scan to large models.
    PREWHERE canonical_model IN {models:Array(String)}
    WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
      AND ({tenant:String} = '' OR tenant = {tenant:String})
    GROUP BY scope_key, day
)
GROUP BY scope_key
ORDER BY scope_key
