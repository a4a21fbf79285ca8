using Azure;
using CostOps.Infrastructure.Hosting;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>
/// The <c>/api/recommendations</c> and <c>/api/routing</c> routes as plain methods over <see cref="RecommendationService"/>,
/// so every host maps them in a few lines. Errors are RFC 9457 problems (<see cref="ApiProblem"/>): 400, 404 or 412.
/// </summary>
public sealed class RecommendationApi(RecommendationService service)
{
    /// <summary><c>GET /api/recommendations?tenant=&amp;project=</c>: the latest run's recommendations with their state.</summary>
    public async Task<ApiResult> ListAsync(string? tenant, string? project, CancellationToken cancellationToken = default)
    {
        var (run, states) = await service.CurrentAsync(Empty(tenant), Empty(project), cancellationToken);
        return new ApiResult(200, RecommendationJson.Rows(run, states));
    }

    /// <summary><c>POST /api/recommendations/{tenant}/{id}/accept|dismiss</c>, optional body <c>{"note": "..."}</c> and If-Match.</summary>
    public async Task<ApiResult> DecideAsync(string tenant, string id, string action, string? body, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var state = action switch
        {
            "accept" => RecommendationDecision.Accepted,
            "dismiss" => RecommendationDecision.Dismissed,
            _ => null,
        };
        if (state is null) return ApiProblem.BadRequest.Result($"Unknown action '{action}': accept or dismiss.");
        string? note = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
                    return ApiProblem.BadRequest.Result("The body must be a JSON object, e.g. {\"note\": \"tested on our evals\"}.");
                if (doc.RootElement.TryGetProperty("note", out var n))
                {
                    if (n.ValueKind is not (System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Null))
                        return ApiProblem.BadRequest.Result("\"note\" must be a string.");
                    note = n.GetString();
                }
            }
            catch (System.Text.Json.JsonException)
            {
                return ApiProblem.BadRequest.Result("The body must be JSON, e.g. {\"note\": \"tested on our evals\"}.");
            }
        }
        try
        {
            var decision = await service.DecideAsync(tenant, id, state, note, Preconditions.IfMatch(ifMatch), cancellationToken);
            if (decision is null) return ApiProblem.NotFound.Result($"No recommendation '{id}' for tenant '{tenant}' in the current run.");
            return new ApiResult(200, RecommendationJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("tenant", decision.Tenant);
                w.WriteString("id", decision.RecommendationId);
                w.WriteString("state", decision.State);
                w.WriteString("note", decision.Note);
                w.WriteEndObject();
            }), decision.ETag);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return ApiProblem.PreconditionFailed.Result("The recommendation's state changed since it was read (If-Match).");
        }
    }

    /// <summary><c>GET /api/routing/{tenant}/{project}</c>: the model mapping a gateway should apply.</summary>
    public async Task<ApiResult> RoutingAsync(string tenant, string project, CancellationToken cancellationToken = default) =>
        new(200, RecommendationJson.Policy(await service.RoutingPolicyAsync(tenant, project, cancellationToken)));

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
