using System.Globalization;
using System.Text;
using System.Text.Json;
using CostOps.Core.Recommendations;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>
/// The JSON shapes of recommendations and routing policies, shared by the API and <c>costops recommend --json</c>.
/// Money, shares and confidence are exact decimal strings (never binary floating point on the way out).
/// </summary>
public static class RecommendationJson
{
    public static void WriteRow(Utf8JsonWriter w, Recommendation r, string runId, string state)
    {
        w.WriteStartObject();
        w.WriteString("id", r.Id);
        w.WriteString("run_id", runId);
        w.WriteString("kind", r.Kind.ToWireName());
        w.WriteString("tenant", r.Tenant);
        w.WriteString("project", r.Project);
        w.WriteString("feature", r.Feature);
        w.WriteString("provider", r.Provider);
        w.WriteString("current_model", r.CurrentModel);
        w.WriteString("suggested_provider", r.SuggestedProvider);
        w.WriteString("suggested_model", r.SuggestedModel);
        if (r.BudgetId.Length > 0) w.WriteString("budget_id", r.BudgetId);
        w.WriteNumber("requests", r.Requests);
        w.WriteString("observed_cost_usd", Text(r.ObservedCostUsd));
        w.WriteString("projected_cost_usd", Text(r.ProjectedCostUsd));
        w.WriteString("estimated_savings_usd", Text(r.EstimatedSavings30dUsd));
        w.WriteString("savings_period", "30d");
        w.WriteString("traffic_share", Text(r.TrafficShare));
        w.WriteString("confidence", Text(r.Confidence));
        w.WriteString("state", state);
        w.WriteString("rationale", r.Rationale);
        if (r.Details.Count > 0)
        {
            w.WriteStartObject("details");
            foreach (var (key, value) in r.Details.Items) w.WriteString(key, value);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    public static string Rows(RecommendationRun? run, IReadOnlyDictionary<string, RecommendationDecision> states, bool indented = false) => Write(w =>
    {
        w.WriteStartArray();
        foreach (var r in run?.Recommendations ?? [])
        {
            WriteRow(w, r, run!.RunId, states.TryGetValue(r.Id, out var d) ? d.State : RecommendationDecision.Open);
        }
        w.WriteEndArray();
    }, indented);

    public static string Policy(RoutingPolicy policy) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("tenant", policy.Tenant);
        w.WriteString("project", policy.Project);
        if (policy.RunId is null) w.WriteNull("run_id");
        else w.WriteString("run_id", policy.RunId);
        if (policy.GeneratedAt is { } at) w.WriteString("generated_at", at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        w.WriteStartArray("routes");
        foreach (var r in policy.Routes)
        {
            w.WriteStartObject();
            w.WriteString("feature", r.Feature);
            w.WriteString("provider", r.Provider);
            w.WriteString("from_model", r.FromModel);
            w.WriteString("to_provider", r.ToProvider);
            w.WriteString("to_model", r.ToModel);
            w.WriteString("share", Text(r.Share));
            w.WriteString("state", r.State);
            w.WriteString("recommendation_id", r.RecommendationId);
            w.WriteString("estimated_savings_usd", Text(r.EstimatedSavingsUsd));
            w.WriteString("confidence", Text(r.Confidence));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>A decimal as its exact text, without trailing zeros ("0.0125", "12").</summary>
    public static string Text(decimal value) => RecommendationDetails.Exact(value);

    public static string Write(Action<Utf8JsonWriter> write, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            write(w);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
