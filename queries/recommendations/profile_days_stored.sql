-- Recommendations' day cache (schema 0013): the (day, fingerprint) pairs of [{first_day}, {end_day}) whose groups are
-- stored whole for these settings (the tier thresholds and the long-output bound).
SELECT DISTINCT day, fingerprint
FROM usage_profile_day_state
WHERE settings_key = cityHash64({thresholds:Array(UInt64)}, {long_output:UInt64})
  AND day >= {first_day:Date} AND day < {end_day:Date}
