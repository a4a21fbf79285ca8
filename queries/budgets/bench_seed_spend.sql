-- Benchmark data only (costops bench budgets, in a throwaway database): hourly spend rows standing for
-- {rows} x 10 usage events, spread over the 45 days before now across {tenants} tenants, 5 projects per tenant,
-- 20 users and 4 models. Rows whose slice key collides collapse under FINAL, as recomputed slices would.
INSERT INTO spend_hourly (hour, tenant, project, user, feature, provider, model, requests, errors, input_tokens, output_tokens, cost_usd, version)
SELECT
    toStartOfHour({now:DateTime64(3, 'UTC')}) - toIntervalHour(cityHash64(number, 1) % (45 * 24)) AS hour,
    concat('t', toString(number % {tenants:UInt32})) AS tenant,
    concat('p', toString(intDiv(number, {tenants:UInt32}) % 5)) AS project,
    concat('u', toString(cityHash64(number, 2) % 20)) AS user,
    '' AS feature,
    'openai' AS provider,
    ['gpt-4o', 'gpt-4o-mini', 'o3', 'gpt-4.1'][1 + cityHash64(number, 3) % 4] AS model,
    10 AS requests,
    0 AS errors,
    12000 AS input_tokens,
    3000 AS output_tokens,
    toDecimal128(cityHash64(number, 4) % 100000, 18) / 100000 AS cost_usd,
    now64(6) AS version
FROM numbers({rows:UInt64})
