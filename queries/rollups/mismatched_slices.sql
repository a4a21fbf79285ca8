-- The repair pass (RollupRepair): (tenant, hour) slices over [from, to) whose rollups disagree with the deduplicated
-- events they are computed from. An hourly slice whose totals differ from usage_events FINAL (a crash between an insert
-- and its rollup refresh, or a re-price stopped half-way), and, as its day's first hour, a day whose spend_daily differs
-- from the sum of its hours (a crash between the hourly and the daily refresh). A missing side reads as zeros, so a
-- slice present on one side only is found too. from/to are whole hours (days, for the daily part) chosen by the caller.
SELECT tenant, hour
FROM
(
    SELECT tenant, toStartOfHour(timestamp) AS hour, count() AS requests, sum(cost_usd) AS cost,
           sum(input_tokens) AS input, sum(output_tokens) AS output
    FROM usage_events FINAL
    WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
      AND ({tenant:String} = '' OR tenant = {tenant:String})
    GROUP BY tenant, hour
) AS raw
FULL OUTER JOIN
(
    SELECT tenant, hour, sum(requests) AS requests, sum(cost_usd) AS cost, sum(input_tokens) AS input, sum(output_tokens) AS output
    FROM spend_hourly FINAL
    WHERE hour >= {from:DateTime64(3, 'UTC')} AND hour < {to:DateTime64(3, 'UTC')}
      AND ({tenant:String} = '' OR tenant = {tenant:String})
    GROUP BY tenant, hour
) AS rolled USING (tenant, hour)
WHERE raw.requests != rolled.requests OR raw.cost != rolled.cost OR raw.input != rolled.input OR raw.output != rolled.output
UNION ALL
SELECT tenant, toDateTime(day, 'UTC') AS hour
FROM
(
    SELECT tenant, toDate(hour) AS day, sum(requests) AS requests, sum(cost_usd) AS cost
    FROM spend_hourly FINAL
    WHERE hour >= {from:DateTime64(3, 'UTC')} AND hour < {to:DateTime64(3, 'UTC')}
      AND ({tenant:String} = '' OR tenant = {tenant:String})
    GROUP BY tenant, day
) AS hours
FULL OUTER JOIN
(
    SELECT tenant, day, sum(requests) AS requests, sum(cost_usd) AS cost
    FROM spend_daily FINAL
    WHERE day >= toDate({from:DateTime64(3, 'UTC')}) AND day < toDate({to:DateTime64(3, 'UTC')})
      AND ({tenant:String} = '' OR tenant = {tenant:String})
    GROUP BY tenant, day
) AS days USING (tenant, day)
WHERE hours.requests != days.requests OR hours.cost != days.cost
