-- Values of the tenant variable: every tenant with spend (spend_daily is small, so this stays cheap).
SELECT DISTINCT tenant FROM spend_daily ORDER BY tenant
