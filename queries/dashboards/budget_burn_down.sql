-- Budget burn-down: for each budget that has fired an alert, its limit minus the tenant's running spend since the
-- budget period began. Budgets live in Azure Tables; budget_alerts carries the limit and period of each one, so the
-- latest alert per budget is what ties a limit to ClickHouse spend. (Budgets scoped narrower than a tenant burn
-- slower than this line: it is the tenant's spend, an upper bound of the scope's.)
WITH budgets AS
(
    SELECT budget_id, tenant, limit_usd, period_start, period_end
    FROM budget_alerts FINAL
    WHERE has(splitByChar(',', trim(BOTH '{}' FROM decodeURLComponent('${tenant:percentencode}'))), tenant) AND period_end >= $__fromTime AND period_start <= $__toTime
    ORDER BY fired_at DESC
    LIMIT 1 BY budget_id
)
SELECT time, budget_id, remaining_usd
FROM
(
    -- The running sum starts at the period start, not at the dashboard range start, so a range that begins mid-period
    -- still shows what is left of the whole budget; the range filter applies only after it.
    SELECT time, budget_id, limit_usd - sum(cost_usd) OVER (PARTITION BY budget_id ORDER BY time) AS remaining_usd
    FROM
    (
        SELECT $__timeInterval(s.hour) AS time, b.budget_id AS budget_id, any(b.limit_usd) AS limit_usd, sum(s.cost_usd) AS cost_usd
        FROM spend_hourly AS s FINAL
        INNER JOIN budgets AS b ON s.tenant = b.tenant
        WHERE s.hour >= b.period_start AND s.hour < b.period_end AND s.hour <= $__toTime
        GROUP BY time, budget_id
    )
)
WHERE time >= $__fromTime AND time <= $__toTime
ORDER BY time, budget_id
