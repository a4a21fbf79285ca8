using System.Globalization;
using System.Text.Json;
using CostOps.Core.Budgets;

namespace CostOps.Infrastructure.Webhooks;

/// <summary>
/// The bodies each channel receives for an alert. Built once when the alert is enqueued and stored in the outbox,
/// so every retry sends the same bytes. Amounts are JSON numbers written from decimals (never via double).
/// </summary>
public static class AlertPayloads
{
    /// <summary>The generic webhook body (schema in docs/webhooks.md).</summary>
    public static byte[] Generic(BudgetAlert alert) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "budget.threshold_crossed");
        w.WriteString("alert_id", alert.AlertId);
        w.WriteString("fired_at", alert.FiredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        w.WriteStartObject("budget");
        w.WriteString("id", alert.BudgetId);
        w.WriteEndObject();
        w.WriteStartObject("scope");
        w.WriteString("tenant", alert.Scope.Tenant);
        Optional(w, "project", alert.Scope.Project);
        Optional(w, "user", alert.Scope.User);
        Optional(w, "feature", alert.Scope.Feature);
        Optional(w, "provider", alert.Scope.Provider);
        Optional(w, "model", alert.Scope.Model);
        if (alert.Scope.TagKey is not null) w.WriteString("tag", $"{alert.Scope.TagKey}={alert.Scope.TagValue}");
        w.WriteEndObject();
        w.WriteStartObject("period");
        w.WriteString("kind", BudgetDefinition.PeriodName(alert.PeriodKind));
        w.WriteString("key", alert.Period.Key);
        w.WriteString("start", Utc(alert.Period.Start));
        w.WriteString("end", Utc(alert.Period.End));
        w.WriteString("time_zone", alert.TimeZone);
        w.WriteEndObject();
        w.WriteNumber("spend_usd", decimal.Round(alert.SpendUsd, 6));
        w.WriteNumber("estimated_spend_usd", decimal.Round(alert.EstimatedSpendUsd, 6));
        w.WriteNumber("limit_usd", alert.LimitUsd);
        w.WriteNumber("percent", alert.Percent);
        w.WriteNumber("forecast_usd", decimal.Round(alert.ForecastUsd, 6));
        w.WriteNumber("threshold", alert.Threshold);
        w.WriteString("kind", BudgetDefinition.KindName(alert.Kind));
        w.WriteString("summary", alert.Summary);
        w.WriteEndObject();
    });

    /// <summary>Slack incoming webhook: <c>text</c> for notifications plus a section block.</summary>
    public static byte[] Slack(BudgetAlert alert) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("text", alert.Summary);
        w.WriteStartArray("blocks");
        w.WriteStartObject();
        w.WriteString("type", "section");
        w.WriteStartObject("text");
        w.WriteString("type", "mrkdwn");
        w.WriteString("text", $"*{Title(alert)}*\n{alert.Summary}");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>Teams workflow webhook ("When a Teams webhook request is received"): a message with one Adaptive Card.</summary>
    public static byte[] Teams(BudgetAlert alert) => AdaptiveCard(Title(alert), w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "FactSet");
        w.WriteStartArray("facts");
        Fact(w, "Scope", alert.Scope.ToString());
        Fact(w, "Period", $"{alert.Period.Key} ({alert.TimeZone})");
        Fact(w, "Spend", Usd(alert.SpendUsd) + $" ({alert.Percent.ToString(CultureInfo.InvariantCulture)}%)");
        Fact(w, "Limit", Usd(alert.LimitUsd));
        Fact(w, "Forecast", Usd(alert.ForecastUsd));
        Fact(w, "Threshold", $"{alert.Threshold}% {BudgetDefinition.KindName(alert.Kind)}");
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>The generic webhook body of a pricing notice (schema in docs/webhooks.md#pricing-notices).</summary>
    public static byte[] Generic(PricingNotice notice, string budgetId) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "pricing." + notice.Kind);
        w.WriteString("alert_id", notice.AlertId(budgetId));
        w.WriteString("fired_at", notice.FiredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        w.WriteStartObject("budget");
        w.WriteString("id", budgetId);
        w.WriteEndObject();
        w.WriteStartObject("scope");
        w.WriteString("tenant", notice.Tenant);
        w.WriteEndObject();
        if (notice.Kind == PricingNotice.PriceChange)
        {
            w.WriteString("effective_from", notice.EffectiveFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteStartArray("changes");
            foreach (var c in notice.Changes)
            {
                w.WriteStartObject();
                w.WriteString("provider", c.Provider);
                w.WriteString("model", c.Model);
                w.WriteString("change", c.Added ? "added" : "changed");
                w.WriteStartObject("fields");
                foreach (var f in c.Fields)
                {
                    w.WriteStartObject(f.Field);
                    if (f.Old is { } o) w.WriteNumber("old", Money.Normalize(o)); else w.WriteNull("old");
                    if (f.New is { } n) w.WriteNumber("new", Money.Normalize(n)); else w.WriteNull("new");
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        else
        {
            w.WriteString("provider", notice.Provider);
            w.WriteString("model", notice.Model);
            w.WriteNumber("requests", notice.Requests);
            w.WriteNumber("estimated_spend_usd", decimal.Round(notice.EstimatedSpendUsd, 6));
        }
        w.WriteString("summary", notice.Summary);
        w.WriteEndObject();
    });

    /// <summary>Slack incoming webhook body of a pricing notice.</summary>
    public static byte[] Slack(PricingNotice notice) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("text", notice.Summary);
        w.WriteEndObject();
    });

    /// <summary>Teams workflow webhook body of a pricing notice: one Adaptive Card with its title and summary.</summary>
    public static byte[] Teams(PricingNotice notice) => AdaptiveCard(
        notice.Kind == PricingNotice.PriceChange ? $"Price change for tenant {notice.Tenant}" : $"Model without a price for tenant {notice.Tenant}", w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "TextBlock");
        w.WriteString("text", notice.Summary);
        w.WriteBoolean("wrap", true);
        w.WriteEndObject();
    });

    /// <summary>
    /// A Teams workflow webhook message: one Adaptive Card whose body is a bold <paramref name="title"/> followed by what
    /// <paramref name="body"/> writes (one or more body elements).
    /// </summary>
    private static byte[] AdaptiveCard(string title, Action<Utf8JsonWriter> body) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "message");
        w.WriteStartArray("attachments");
        w.WriteStartObject();
        w.WriteString("contentType", "application/vnd.microsoft.card.adaptive");
        w.WriteNull("contentUrl");
        w.WriteStartObject("content");
        w.WriteString("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        w.WriteString("type", "AdaptiveCard");
        w.WriteString("version", "1.4");
        w.WriteStartArray("body");
        w.WriteStartObject();
        w.WriteString("type", "TextBlock");
        w.WriteString("size", "Medium");
        w.WriteString("weight", "Bolder");
        w.WriteString("text", title);
        w.WriteBoolean("wrap", true);
        w.WriteEndObject();
        body(w);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static string Title(BudgetAlert a) => $"Budget {a.BudgetId}: {a.Threshold}% of {Usd(a.LimitUsd)} ({BudgetDefinition.KindName(a.Kind)})";

    private static string Usd(decimal v) => "$" + decimal.Round(v, 2).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static void Fact(Utf8JsonWriter w, string title, string value)
    {
        w.WriteStartObject();
        w.WriteString("title", title);
        w.WriteString("value", value);
        w.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) write(w);
        return stream.ToArray();
    }
}
