using CostOps.Infrastructure.Hosting;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>Problem-details answers shared by the host-neutral APIs.</summary>
public static class UsageApiProblems
{
    public static ApiResult BadRequest(string detail) => new(400, UsageApi.Problem(400, "Bad request", detail));
}
