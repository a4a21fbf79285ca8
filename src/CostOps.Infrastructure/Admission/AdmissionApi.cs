using CostOps.Core.Access;
using System.Text;
using System.Text.Json;
using Azure;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Hosting;
using StackExchange.Redis;

namespace CostOps.Infrastructure.Admission;

/// <summary>
/// <c>POST /api/admission</c> for both hosts: 200 with the reservation (allow, reroute), 429 with <c>Retry-After</c>
/// (seconds to the refusing budget's reset) on deny, 400 naming every problem of a bad body, 503 while the reservation
/// store does not answer (the gateway then fails open or closed as configured). Every answer with a budget carries
/// <c>x-costops-remaining-usd</c>.
/// </summary>
public sealed class AdmissionApi(AdmissionService admission, TimeProvider time)
{
    public const string RemainingHeader = "x-costops-remaining-usd";

    /// <param name="scope">The caller's tenants (all when null): admission for another tenant is 403, as for its usage.</param>
    public async Task<ApiResult> AdmitAsync(string body, TenantScope? scope, CancellationToken cancellationToken)
    {
        var (request, errors) = AdmissionRequest.Parse(body);
        if (request is null) return ApiProblem.BadRequest.Result(string.Join(" ", errors));
        if (scope is not null && !scope.Allows(request.Tenant)) return TenantAccess.Forbidden(request.Tenant);
        AdmissionDecision decision;
        try
        {
            decision = await admission.AdmitAsync(request, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            return ApiProblem.StorageUnavailable.Result($"The reservation store did not answer ({e.Status}); retry, or let the gateway fail open or closed.");
        }
        catch (RedisException e)
        {
            return ApiProblem.StorageUnavailable.Result($"The reservation store (Redis) did not answer ({e.GetType().Name}); retry, or let the gateway fail open or closed.");
        }
        var headers = decision.RemainingUsd is { } remaining
            ? new Dictionary<string, string> { [RemainingHeader] = Money.KeyText(remaining) }
            : null;
        if (decision.Decision != AdmissionDecision.Deny) return new ApiResult(200, Json(decision), Headers: headers);
        var retryAfter = (int)Math.Ceiling(Math.Max(1, (decision.ResetsAt!.Value - time.GetUtcNow()).TotalSeconds));
        // The refusal is CostOps' answer, not a problem: the gateway passes its body on as is.
        return new ApiResult(429, Json(decision), RetryAfterSeconds: retryAfter, ContentType: "application/json", Headers: headers);
    }

    public static string Json(AdmissionDecision d)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("decision", d.Decision);
            w.WriteString("model", d.Model);
            if (d.ReservationId is null) w.WriteNull("reservation_id");
            else w.WriteString("reservation_id", d.ReservationId);
            w.WriteNumber("reserved_usd", Money.Normalize(d.ReservedUsd));
            if (d.RemainingUsd is { } remaining) w.WriteNumber("remaining_usd", Money.Normalize(remaining));
            else w.WriteNull("remaining_usd");
            if (d.BudgetId is null) w.WriteNull("budget_id");
            else w.WriteString("budget_id", d.BudgetId);
            if (d.ResetsAt is { } resets) w.WriteString("resets_at", resets);
            else w.WriteNull("resets_at");
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
