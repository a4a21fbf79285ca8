using System.Collections.ObjectModel;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace CostOps.Infrastructure.Hosting;

/// <summary>Writes an <see cref="ApiResult"/> as the HTTP answer, the same way in both hosts: status, ETag, Retry-After, other headers, JSON body.</summary>
public static class ApiResultWriter
{
    public static async Task WriteAsync(this ApiResult result, HttpResponse response, CancellationToken cancellationToken = default)
    {
        response.StatusCode = result.Status;
        if (result.ETag is not null) response.Headers.ETag = result.ETag;
        if (result.RetryAfterSeconds is { } retry) response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in result.Headers ?? ReadOnlyDictionary<string, string>.Empty) response.Headers[name] = value;
        if (result.Json is null) return;
        response.ContentType = result.ContentType ?? (result.Status >= 400 ? "application/problem+json" : "application/json");
        await response.WriteAsync(result.Json, cancellationToken);
    }
}
