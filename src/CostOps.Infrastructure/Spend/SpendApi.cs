using System.Globalization;
using CostOps.Infrastructure.Hosting;

namespace CostOps.Infrastructure.Spend;

/// <summary><c>GET /api/spend?from=&amp;to=&amp;group_by=&amp;tenant=</c>, host-neutral (Functions and <c>costops serve</c>).</summary>
public sealed class SpendApi(SpendQuery query, TimeProvider time)
{
    public async Task<ApiResult> GetAsync(string? from, string? to, string? groupBy, string? tenant, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var end = Parse(to, "to", errors) ?? time.GetUtcNow();
        var start = Parse(from, "from", errors) ?? end.AddDays(-30);
        var groups = (groupBy ?? "tenant").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (errors.Count > 0) return ApiProblem.BadRequest.Result(string.Join(" ", errors));
        try
        {
            var rows = await query.RunAsync(start, end, groups, tenant, cancellationToken);
            return new ApiResult(200, SpendQuery.ToJson(rows, groups).ToJsonString());
        }
        catch (ArgumentException e)
        {
            return ApiProblem.BadRequest.Result(e.Message);
        }
    }

    private static DateTimeOffset? Parse(string? text, string name, List<string> errors)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
        errors.Add($"'{name}' must be an ISO-8601 date or instant.");
        return null;
    }
}
