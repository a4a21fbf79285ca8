-- Before a re-price rebuilds slices: a re-priced event may move to another group (an unknown model now resolves),
-- and a recomputation only replaces groups it produces, so the old groups of those slices go first.
DELETE FROM spend_hourly WHERE tenant IN {tenants:Array(String)} AND hour IN {hours:Array(DateTime('UTC'))};
DELETE FROM spend_daily WHERE tenant IN {tenants:Array(String)} AND day IN {days:Array(Date)};
