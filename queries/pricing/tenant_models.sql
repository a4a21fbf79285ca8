-- The models each tenant's traffic used from a given hour on, with the calls priced at the fallback estimate or not
-- at all (unpriced_requests) and their estimated spend: read from the hourly rollup (small), for pricing notices
-- (docs/webhooks.md#pricing-notices). model is the canonical model where one resolved, else the model as sent.
SELECT
    tenant,
    provider,
    model,
    sum(requests) AS requests,
    sum(unpriced_requests) AS unpriced_requests,
    toString(sum(estimated_cost_usd)) AS estimated_cost_usd
FROM spend_hourly FINAL
WHERE hour >= {from:DateTime64(3, 'UTC')}
GROUP BY tenant, provider, model
SETTINGS output_format_json_quote_64bit_integers = 0
