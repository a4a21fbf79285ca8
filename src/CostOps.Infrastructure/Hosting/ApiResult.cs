namespace CostOps.Infrastructure.Hosting;

/// <summary>A host-neutral HTTP answer: status code, JSON body, optional ETag. Hosts map it to their response type.</summary>
public sealed record ApiResult(int Status, string? Json, string? ETag = null, int? RetryAfterSeconds = null);
