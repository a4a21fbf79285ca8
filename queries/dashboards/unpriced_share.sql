-- Share of calls that could not be priced (unknown model or missing price): stored at $0, so a rising share means
-- spend is understated until a price is added.
SELECT $__timeInterval(hour) AS time, sum(unpriced_requests) / sum(requests) AS unpriced_share, sum(unpriced_requests) AS unpriced_calls
FROM spend_hourly FINAL
WHERE $__timeFilter(hour) AND has(splitByChar(',', trim(BOTH '{}' FROM decodeURLComponent('${tenant:percentencode}'))), tenant)
GROUP BY time
HAVING sum(requests) > 0
ORDER BY time
