using System.Globalization;
using System.Text;
using System.Text.Json;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.ClickHouse;

namespace CostOps.Infrastructure.Alerts;

/// <summary>
/// Writes alerts to ClickHouse <c>budget_alerts</c> (dashboard annotations): one insert per tick, not per alert (each
/// insert is a part). Every alert an evaluator decided is written, also those another evaluator won in the outbox:
/// that repairs the record when the winner stopped before writing it, and the table collapses copies by alert id.
/// </summary>
public sealed class AlertRecorder(IClickHouse clickHouse)
{
    public async Task RecordAsync(IReadOnlyList<(BudgetAlert Alert, IReadOnlyList<string> Channels)> alerts, CancellationToken cancellationToken = default)
    {
        if (alerts.Count == 0) return;
        using var stream = new MemoryStream();
        foreach (var (alert, channels) in alerts)
        {
            using (var w = new Utf8JsonWriter(stream))
            {
                Write(w, alert, channels);
            }
            stream.WriteByte((byte)'\n');
        }
        // A retried tick that decided the very same alerts sends the same block: the token drops the repeat.
        var ids = string.Join(",", alerts.Select(a => a.Alert.AlertId).Order(StringComparer.Ordinal));
        var token = "alerts:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(ids)))[..32];
        await clickHouse.InsertAsync("budget_alerts", "JSONEachRow", stream.ToArray(), token, cancellationToken);
    }

    private static void Write(Utf8JsonWriter w, BudgetAlert alert, IReadOnlyList<string> channels)
    {
        {
            w.WriteStartObject();
            w.WriteString("alert_id", alert.AlertId);
            w.WriteString("fired_at", alert.FiredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture));
            w.WriteString("budget_id", alert.BudgetId);
            w.WriteString("tenant", alert.Scope.Tenant);
            w.WriteString("scope", alert.Scope.ToString());
            w.WriteString("period_kind", BudgetDefinition.PeriodName(alert.PeriodKind));
            w.WriteString("period_key", alert.Period.Key);
            w.WriteString("period_start", alert.Period.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            w.WriteString("period_end", alert.Period.End.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            w.WriteNumber("threshold", alert.Threshold);
            w.WriteString("kind", BudgetDefinition.KindName(alert.Kind));
            // Decimals as strings: ClickHouse parses them into Decimal exactly, no float on the way.
            w.WriteString("limit_usd", alert.LimitUsd.ToString(CultureInfo.InvariantCulture));
            w.WriteString("spend_usd", alert.SpendUsd.ToString(CultureInfo.InvariantCulture));
            w.WriteString("forecast_usd", alert.ForecastUsd.ToString(CultureInfo.InvariantCulture));
            w.WriteString("percent", alert.Percent.ToString(CultureInfo.InvariantCulture));
            w.WriteStartArray("channels");
            foreach (var c in channels) w.WriteStringValue(c);
            w.WriteEndArray();
            w.WriteString("summary", alert.Summary);
            w.WriteEndObject();
        }
    }
}
