-- Units beyond tokens (issue 13, docs/usage-event.md#units): images, seconds of audio and of video (exact to the
-- microsecond, as the contract allows), characters and web searches, each 0 when a producer does not send it; the tier
-- the call was served at (service_tier) and an Azure deployment's data-processing type (deployment_type), '' when not
-- sent; and units_cost_usd, the part of cost_usd those units cost (0 for every row stored before, which had none).
ALTER TABLE usage_events ADD COLUMN IF NOT EXISTS images UInt64 DEFAULT 0, ADD COLUMN IF NOT EXISTS audio_seconds Decimal(18, 6) DEFAULT 0, ADD COLUMN IF NOT EXISTS video_seconds Decimal(18, 6) DEFAULT 0, ADD COLUMN IF NOT EXISTS characters UInt64 DEFAULT 0, ADD COLUMN IF NOT EXISTS web_searches UInt64 DEFAULT 0, ADD COLUMN IF NOT EXISTS service_tier LowCardinality(String) DEFAULT '', ADD COLUMN IF NOT EXISTS deployment_type LowCardinality(String) DEFAULT '', ADD COLUMN IF NOT EXISTS units_cost_usd Decimal(38, 18) DEFAULT 0;
