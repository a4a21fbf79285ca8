-- The other two cost levers (docs/recommendations.md, response_cache and distillation).
-- request_hash: a hash of the whole request in the canonical form of docs/usage-event.md (equal hashes are identical
-- requests, which a response cache would answer); temperature: the call's sampling temperature, to 3 places (a cached
-- answer suits deterministic calls). Both optional: '' and NULL when a producer does not send them.
ALTER TABLE usage_events ADD COLUMN IF NOT EXISTS request_hash String DEFAULT '', ADD COLUMN IF NOT EXISTS temperature Nullable(Decimal(9, 3));

-- Figures a kind needs beyond the common ones (a cache lifetime's share and saving, a fine-tuning cost and break-even),
-- as exact decimal text keyed by name: the API shows them as they were computed.
ALTER TABLE routing_recommendations ADD COLUMN IF NOT EXISTS details Map(LowCardinality(String), String);
