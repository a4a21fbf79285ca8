using System.Text;
using System.Text.Json;
using CostOps.Core.Recommendations;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>The digest bodies per channel: generic JSON (the recommendation rows), Slack text, a Teams Adaptive Card.</summary>
public static class DigestPayloads
{
    public static byte[] Generic(RecommendationRun run, string tenant, IReadOnlyList<Recommendation> items) => Bytes(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "recommendations.digest");
        w.WriteString("run_id", run.RunId);
        w.WriteString("tenant", tenant);
        w.WriteString("estimated_savings_usd", RecommendationJson.Text(items.Sum(r => r.EstimatedSavings30dUsd)));
        w.WriteString("summary", Summary(tenant, items));
        w.WriteStartArray("recommendations");
        foreach (var r in items) RecommendationJson.WriteRow(w, r, run.RunId, RecommendationDecision.Open);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] Slack(RecommendationRun run, string tenant, IReadOnlyList<Recommendation> items) => Bytes(w =>
    {
        w.WriteStartObject();
        w.WriteString("text", Summary(tenant, items) + "\n" + string.Join("\n", items.Select(Line)));
        w.WriteEndObject();
    });

    public static byte[] Teams(RecommendationRun run, string tenant, IReadOnlyList<Recommendation> items) => Bytes(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "message");
        w.WriteStartArray("attachments");
        w.WriteStartObject();
        w.WriteString("contentType", "application/vnd.microsoft.card.adaptive");
        w.WriteStartObject("content");
        w.WriteString("type", "AdaptiveCard");
        w.WriteString("version", "1.4");
        w.WriteStartArray("body");
        void Block(string text, bool bold)
        {
            w.WriteStartObject();
            w.WriteString("type", "TextBlock");
            w.WriteString("text", text);
            w.WriteBoolean("wrap", true);
            if (bold) w.WriteString("weight", "Bolder");
            w.WriteEndObject();
        }
        Block(Summary(tenant, items), true);
        foreach (var r in items) Block(Line(r), false);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static string Summary(string tenant, IReadOnlyList<Recommendation> items) =>
        $"CostOps: {items.Count} new recommendation(s) for {tenant}, about ${decimal.Round(items.Sum(r => r.EstimatedSavings30dUsd), 2)} per 30 days.";

    private static string Line(Recommendation r) =>
        $"- {r.Kind.ToWireName()} {r.Project}/{r.Feature} {r.CurrentModel}" +
        (r.SuggestedModel.Length > 0 && r.SuggestedModel != r.CurrentModel ? $" -> {r.SuggestedModel}" : "") +
        $": ${decimal.Round(r.EstimatedSavings30dUsd, 2)}/30d (confidence {r.Confidence})";

    private static byte[] Bytes(Action<Utf8JsonWriter> write) => Encoding.UTF8.GetBytes(RecommendationJson.Write(write));
}
