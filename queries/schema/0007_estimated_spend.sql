-- Spend of models without a price of their own, priced at the fallback estimate (price_status = 'estimated_price',
-- docs/pricing.md#unknown-models): kept apart in the rollups so spend, budgets and alerts can say how much of a total
-- is estimated. It is part of cost_usd too (estimated traffic counts against budgets); unpriced_requests counts
-- these calls as well as the unknown_model ones.
ALTER TABLE spend_hourly ADD COLUMN IF NOT EXISTS estimated_cost_usd Decimal(38, 18) DEFAULT 0 AFTER unpriced_requests;
ALTER TABLE spend_daily ADD COLUMN IF NOT EXISTS estimated_cost_usd Decimal(38, 18) DEFAULT 0 AFTER unpriced_requests;
