-- Calls refused by blocking budgets since a time, per budget and day, for the report's burn-down markers.
SELECT budget_id, toString(toDate(refused_at)) AS day, toString(count()) AS refused, toString(sum(requested_usd)) AS requested_usd
FROM admission_refusals FINAL
WHERE refused_at >= {from:DateTime64(3, 'UTC')}
GROUP BY budget_id, day
ORDER BY budget_id, day
