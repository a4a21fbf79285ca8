using CostOps.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CostOps.Functions.Http;

/// <summary>Maps the host-neutral <see cref="ApiResult"/> to an ASP.NET Core result (JSON body, ETag, Retry-After).</summary>
public static class ApiResults
{
    public static IActionResult ToActionResult(this ApiResult result, HttpResponse response)
    {
        if (result.ETag is not null) response.Headers.ETag = result.ETag;
        if (result.RetryAfterSeconds is { } retry) response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (result.Json is null) return new StatusCodeResult(result.Status);
        return new ContentResult
        {
            StatusCode = result.Status,
            Content = result.Json,
            ContentType = result.Status >= 400 ? "application/problem+json" : "application/json",
        };
    }
}
