-- Token mix over time and the cache-hit rate. input_tokens includes cache reads and writes, output_tokens includes
-- reasoning (docs/usage-event.md), so the parts are subtracted to stack without double counting.
SELECT
    $__timeInterval(hour) AS time,
    sum(input_tokens) - sum(cached_input_tokens) - sum(cache_write_tokens) AS uncached_input,
    sum(cached_input_tokens) AS cache_read,
    sum(cache_write_tokens) AS cache_write,
    sum(output_tokens) - sum(reasoning_tokens) AS visible_output,
    sum(reasoning_tokens) AS reasoning,
    if(sum(input_tokens) = 0, 0, sum(cached_input_tokens) / sum(input_tokens)) AS cache_hit_rate
FROM spend_hourly FINAL
WHERE $__timeFilter(hour) AND has(splitByChar(',', trim(BOTH '{}' FROM decodeURLComponent('${tenant:percentencode}'))), tenant)
GROUP BY time
ORDER BY time
