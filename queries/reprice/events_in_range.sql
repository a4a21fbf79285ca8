-- Stored events of one range, deduplicated, with what re-pricing needs (token counts, flags) and what it changes.
SELECT event_id, timestamp, tenant, project, user, feature, provider, model, deployment,
       input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
       batch, interactive, latency_ms, status, error_type, prompt_hash, request_hash, temperature, tags,
       images, audio_seconds, video_seconds, characters, web_searches, service_tier, deployment_type,
       cost_usd, price_version, price_status, source
FROM usage_events FINAL
WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
  AND ({tenant:String} = '' OR tenant = {tenant:String})
SETTINGS output_format_json_quote_64bit_integers = 0, output_format_json_quote_decimals = 1
