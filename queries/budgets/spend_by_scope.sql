-- Spend of many budgets in one pass over the hourly rollup (the evaluation tick runs this once for all budgets
-- without a tag). Budget i is row i of the tick's budgets, which travel with the query as TSV in one String parameter
-- (ClickHouse/TsvRowChunks.cs: nothing is left on the server between requests, so any replica can answer); an empty
-- string matches every value of that dimension.
-- Per budget: spend since its period start (and the part of it estimated for models without a price) (b_start, a UTC instant of a local midnight) and spend in each of the seven trailing 24-hour windows before now (age 0 = the last 24 hours), the forecast's input.
-- Spend rows join the budgets of their tenant (a hash join on tenant) and are filtered by the scope.
-- Boundaries are hour buckets: in zones whose offset is not whole hours the boundary hour counts from its start.
WITH budgets AS (SELECT * FROM format(TSV, 'i UInt32, b_tenant String, b_project String, b_user String, b_feature String, b_provider String, b_model String, b_tag_key String, b_tag_value String, b_start DateTime64(3, \'UTC\')', {budgets:String}))
SELECT
    b.i AS budget,
    sumIf(s.cost_usd, s.hour >= b.b_start) AS period_spend,
    sumIf(s.cost_usd, s.age = 0) AS d0,
    sumIf(s.cost_usd, s.age = 1) AS d1,
    sumIf(s.cost_usd, s.age = 2) AS d2,
    sumIf(s.cost_usd, s.age = 3) AS d3,
    sumIf(s.cost_usd, s.age = 4) AS d4,
    sumIf(s.cost_usd, s.age = 5) AS d5,
    sumIf(s.cost_usd, s.age = 6) AS d6,
    sumIf(s.estimated_cost_usd, s.hour >= b.b_start) AS period_estimated
FROM
(
    SELECT tenant, project, user, feature, provider, model, hour, cost_usd, estimated_cost_usd,
           intDiv(dateDiff('second', hour, {now:DateTime64(3, 'UTC')}), 86400) AS age
    FROM spend_hourly FINAL
    WHERE tenant GLOBAL IN (SELECT b_tenant FROM budgets)
      AND hour >= {from:DateTime64(3, 'UTC')}
      AND hour <= {now:DateTime64(3, 'UTC')}
) AS s
INNER JOIN budgets AS b ON s.tenant = b.b_tenant
WHERE (b.b_project = '' OR s.project = b.b_project)
  AND (b.b_user = '' OR s.user = b.b_user)
  AND (b.b_feature = '' OR s.feature = b.b_feature)
  AND (b.b_provider = '' OR s.provider = b.b_provider)
  AND (b.b_model = '' OR s.model = b.b_model)
GROUP BY budget
