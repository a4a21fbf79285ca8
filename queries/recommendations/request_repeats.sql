-- Recommendations input: what a response cache would have answered per scope (scope_key as in usage_profile), for three
-- cache lifetimes {lifetime_1}, {lifetime_2}, {lifetime_3} (milliseconds). Calls with equal request_hash are identical
-- requests. In each request's calls in time order, a fixed-TTL cache (filled on a miss, the entry expiring the lifetime
-- after it was written, hits not extending it) answers a call when it comes before the current entry expires; else the
-- call writes a new entry. arrayFold walks the calls once per lifetime with a scalar state (expiry, hits, token sums), so
-- it is linear in a request's calls. Calls are grouped per tier bucket and batch as in usage_profile so the answered
-- calls' tokens re-price exactly (a batch call is not answered from an interactive call's entry: conservative).
-- The inner grouping has one group per (scope, request, bucket, batch), so it groups on 64-bit hashes.
SELECT
    scope_key, bucket, is_batch,
    sum(calls) AS repeated,
    sum(no_temperature) AS without_temperature,
    sum(hot) AS above_high_temperature,
    sum(a.2) AS hits_1, sum(a.3) AS input_1, sum(a.4) AS output_1, sum(a.5) AS cached_1, sum(a.6) AS cache_write_1, sum(a.7) AS reasoning_1,
    sum(b.2) AS hits_2, sum(b.3) AS input_2, sum(b.4) AS output_2, sum(b.5) AS cached_2, sum(b.6) AS cache_write_2, sum(b.7) AS reasoning_2,
    sum(c.2) AS hits_3, sum(c.3) AS input_3, sum(c.4) AS output_3, sum(c.5) AS cached_3, sum(c.6) AS cache_write_3, sum(c.7) AS reasoning_3
FROM
(
    SELECT
        scope_key, bucket, is_batch,
        count() AS calls,
        countIf(temperature IS NULL) AS no_temperature,
        countIf(temperature > {high_temperature:Decimal(9, 3)}) AS hot,
        arraySort(x -> x.1, groupArray((toUnixTimestamp64Milli(timestamp), input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens))) AS seq,
        (toInt64(0), toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0)) AS zero,
        arrayFold((acc, x) -> if(x.1 < acc.1,
            (acc.1, acc.2 + 1, acc.3 + x.2, acc.4 + x.3, acc.5 + x.4, acc.6 + x.5, acc.7 + x.6),
            (x.1 + {lifetime_1:Int64}, acc.2, acc.3, acc.4, acc.5, acc.6, acc.7)), seq, zero) AS a,
        arrayFold((acc, x) -> if(x.1 < acc.1,
            (acc.1, acc.2 + 1, acc.3 + x.2, acc.4 + x.3, acc.5 + x.4, acc.6 + x.5, acc.7 + x.6),
            (x.1 + {lifetime_2:Int64}, acc.2, acc.3, acc.4, acc.5, acc.6, acc.7)), seq, zero) AS b,
        arrayFold((acc, x) -> if(x.1 < acc.1,
            (acc.1, acc.2 + 1, acc.3 + x.2, acc.4 + x.3, acc.5 + x.4, acc.6 + x.5, acc.7 + x.6),
            (x.1 + {lifetime_3:Int64}, acc.2, acc.3, acc.4, acc.5, acc.6, acc.7)), seq, zero) AS c
    FROM
    (
        SELECT
            cityHash64(tenant, project, feature, provider, if(canonical_model = '', model, canonical_model)) AS scope_key,
            cityHash64(request_hash) AS request_key,
            toUInt8(arrayCount(t -> input_tokens > t, {thresholds:Array(UInt64)})) AS bucket,
            batch AS is_batch,
            timestamp, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, temperature
        FROM usage_events FINAL
        -- PREWHERE before FINAL is exact here: an event's request hash, temperature and token counts never change
        -- between its versions (a reprice rewrites prices only), and most calls carry no request hash.
        PREWHERE request_hash != ''
        WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
          AND ({tenant:String} = '' OR tenant = {tenant:String})
    )
    GROUP BY scope_key, request_key, bucket, is_batch
    HAVING calls >= 2
)
GROUP BY scope_key, bucket, is_batch
ORDER BY scope_key, bucket, is_batch
