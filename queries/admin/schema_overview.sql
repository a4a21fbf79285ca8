-- Tables of the CostOps database with their engines and column counts.
SELECT t.name AS table, t.engine AS engine, count(c.name) AS columns, t.total_rows AS rows
FROM system.tables AS t
LEFT JOIN system.columns AS c ON c.database = t.database AND c.table = t.name
WHERE t.database = {database:String}
GROUP BY t.name, t.engine, t.total_rows
ORDER BY t.name
