using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;

namespace CostOps.Infrastructure.Hosting;

/// <summary><c>GET /api/health</c> for both hosts: ClickHouse answers a query, and which version it is.</summary>
public sealed class HealthApi(IClickHouse clickHouse, SqlCatalog catalog)
{
    public sealed record Health(string Status, [property: System.Text.Json.Serialization.JsonPropertyName("clickhouse")] string ClickHouse);

    public async Task<Health> CheckAsync(CancellationToken cancellationToken) =>
        new("ok", (await clickHouse.QueryAsync(catalog.Get(SqlNames.Health.Version), "TSV", cancellationToken: cancellationToken)).Trim());
}
