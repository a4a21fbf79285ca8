-- Spend of many budgets in one pass over the hourly rollup (the evaluation tick runs this once for all budgets
-- without a tag). Budget i is element i of each array parameter; an empty string matches every value of that
-- dimension. Per budget: spend since its period start and spend in each of the seven trailing 24-hour windows
-- before now (age 0 = the last 24 hours), the forecast's input.
-- Why the shape: joining raw rows to every budget of their tenant multiplies rows by budgets per tenant. Instead
-- spend is first summed once per dimension mask in use (which of project/user/feature/provider/model a budget
-- sets) down to the budgets' own keys, by trailing day and by how many period starts it is past ({starts} are
-- the distinct period starts, sorted; {ranks}[i] is the position of budget i's start in them, so "at or after
-- the budget's start" is k >= rank). The join is then an exact-key hash join on small groups.
-- Boundaries are hour buckets: in zones whose offset is not whole hours the boundary hour counts from its start.
WITH
    budgets AS
    (
        SELECT
            toUInt32(number + 1) AS i,
            {tenants:Array(String)}[i] AS b_tenant,
            {projects:Array(String)}[i] AS b_project,
            {users:Array(String)}[i] AS b_user,
            {features:Array(String)}[i] AS b_feature,
            {providers:Array(String)}[i] AS b_provider,
            {models:Array(String)}[i] AS b_model,
            {ranks:Array(UInt16)}[i] AS b_rank,
            toUInt8((b_project != '') + 2 * (b_user != '') + 4 * (b_feature != '') + 8 * (b_provider != '') + 16 * (b_model != '')) AS b_mask
        FROM numbers(length({tenants:Array(String)}))
    ),
    spend AS
    (
        SELECT
            mask,
            tenant,
            if(bitTest(mask, 0), project, '') AS s_project,
            if(bitTest(mask, 1), user, '') AS s_user,
            if(bitTest(mask, 2), feature, '') AS s_feature,
            if(bitTest(mask, 3), provider, '') AS s_provider,
            if(bitTest(mask, 4), model, '') AS s_model,
            age,
            k,
            sum(cost_usd) AS cost
        FROM
        (
            SELECT
                tenant, project, user, feature, provider, model, cost_usd,
                least(intDiv(dateDiff('second', hour, {now:DateTime64(3, 'UTC')}), 86400), 7) AS age,
                arrayCount(x -> x <= hour, {starts:Array(DateTime64(3, 'UTC'))}) AS k
            FROM spend_hourly FINAL
            WHERE tenant IN (SELECT b_tenant FROM budgets)
              AND hour >= {from:DateTime64(3, 'UTC')}
              AND hour <= {now:DateTime64(3, 'UTC')}
        )
        ARRAY JOIN (SELECT groupUniqArray(b_mask) FROM budgets) AS mask
        GROUP BY mask, tenant, s_project, s_user, s_feature, s_provider, s_model, age, k
    )
SELECT
    b.i AS budget,
    sumIf(s.cost, s.k >= b.b_rank) AS period_spend,
    sumIf(s.cost, s.age = 0) AS d0,
    sumIf(s.cost, s.age = 1) AS d1,
    sumIf(s.cost, s.age = 2) AS d2,
    sumIf(s.cost, s.age = 3) AS d3,
    sumIf(s.cost, s.age = 4) AS d4,
    sumIf(s.cost, s.age = 5) AS d5,
    sumIf(s.cost, s.age = 6) AS d6
FROM spend AS s
INNER JOIN budgets AS b
    ON s.mask = b.b_mask AND s.tenant = b.b_tenant AND s.s_project = b.b_project AND s.s_user = b.b_user
   AND s.s_feature = b.b_feature AND s.s_provider = b.b_provider AND s.s_model = b.b_model
GROUP BY budget
