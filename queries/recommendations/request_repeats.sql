-- Recommendations input: the requests whose calls a response cache could answer, per scope (scope_key as in
-- usage_profile): calls with equal request_hash are identical requests. One row per (scope, request, tier bucket, batch)
-- seen at least twice, with its calls in time order (Unix milliseconds and token counts; ties ordered by the tokens, so
-- the order is the same on every run). C# replays them through a fixed-TTL cache per lifetime (ResponseCacheReplay):
-- a walk that is sequential per request, which ClickHouse's arrayFold did at about 0.6 s per lifetime over 10M events.
-- Calls are grouped per tier bucket and batch as in usage_profile so the answered calls' tokens re-price exactly (a
-- batch call is not answered from an interactive call's entry: conservative). The grouping is on 64-bit hashes.
SELECT
    scope_key, bucket, is_batch,
    count() AS calls,
    countIf(temperature IS NULL) AS no_temperature,
    countIf(temperature > {high_temperature:Decimal(9, 3)}) AS hot,
    arraySort(groupArray((toUnixTimestamp64Milli(timestamp), input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens))) AS calls_in_order
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
