-- Stored traffic a price sync would touch: events from the sync's effective date on, per price entry
-- (price_version without its date, i.e. provider/model) and, for unpriced events, per model string as sent.
-- Read deduplicated (FINAL) so replays do not inflate the counts.
SELECT
    if(price_status = 'unknown_model', '', splitByChar('@', price_version)[1]) AS entry,
    if(price_status = 'unknown_model', model, '') AS unknown_model,
    count() AS events,
    toString(sum(cost_usd)) AS cost_usd
FROM usage_events FINAL
WHERE timestamp >= {from:DateTime64(3, 'UTC')}
GROUP BY entry, unknown_model
