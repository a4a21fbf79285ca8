-- Spend of many tag-scoped budgets in one pass over deduplicated usage events (rollups carry no tags).
-- Same parameters and output as budgets/spend_by_scope, with the tag key and value of each budget.
WITH budgets AS (SELECT * FROM format(TSV, 'i UInt32, b_tenant String, b_project String, b_user String, b_feature String, b_provider String, b_model String, b_tag_key String, b_tag_value String, b_start DateTime64(3, \'UTC\')', {budgets:String}))
SELECT
    b.i AS budget,
    sumIf(s.cost_usd, s.timestamp >= b.b_start) AS period_spend,
    sumIf(s.cost_usd, s.age = 0) AS d0,
    sumIf(s.cost_usd, s.age = 1) AS d1,
    sumIf(s.cost_usd, s.age = 2) AS d2,
    sumIf(s.cost_usd, s.age = 3) AS d3,
    sumIf(s.cost_usd, s.age = 4) AS d4,
    sumIf(s.cost_usd, s.age = 5) AS d5,
    sumIf(s.cost_usd, s.age = 6) AS d6,
    sumIf(s.cost_usd, s.timestamp >= b.b_start AND s.price_status = 'estimated_price') AS period_estimated
FROM
(
    SELECT tenant, project, user, feature, provider, model, tags, timestamp, cost_usd, price_status,
           intDiv(dateDiff('second', timestamp, {now:DateTime64(3, 'UTC')}), 86400) AS age
    FROM usage_events FINAL
    WHERE tenant GLOBAL IN (SELECT b_tenant FROM budgets)
      AND timestamp >= {from:DateTime64(3, 'UTC')}
      AND timestamp <= {now:DateTime64(3, 'UTC')}
) AS s
INNER JOIN budgets AS b ON s.tenant = b.b_tenant
WHERE (b.b_project = '' OR s.project = b.b_project)
  AND (b.b_user = '' OR s.user = b.b_user)
  AND (b.b_feature = '' OR s.feature = b.b_feature)
  AND (b.b_provider = '' OR s.provider = b.b_provider)
  AND (b.b_model = '' OR s.model = b.b_model)
  AND s.tags[b.b_tag_key] = b.b_tag_value
GROUP BY budget
