namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// A host-neutral HTTP answer: status code, JSON body, optional ETag and other headers. Hosts map it to their response
/// type. The body is a problem (application/problem+json) from 400 on, unless <see cref="ContentType"/> says otherwise.
/// </summary>
public sealed record ApiResult(int Status, string? Json, string? ETag = null, int? RetryAfterSeconds = null, string? ContentType = null,
    IReadOnlyDictionary<string, string>? Headers = null);
