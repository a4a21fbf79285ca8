namespace CostOps.Infrastructure.Hosting;

/// <summary>A host-neutral HTTP answer: status code, JSON body, optional ETag and other headers. Hosts map it to their response type.</summary>
public sealed record ApiResult(int Status, string? Json, string? ETag = null, int? RetryAfterSeconds = null, IReadOnlyDictionary<string, string>? Headers = null);
