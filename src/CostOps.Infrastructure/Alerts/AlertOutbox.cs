using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Tables;
using CostOps.Infrastructure.Webhooks;

namespace CostOps.Infrastructure.Alerts;

/// <summary>
/// The alert outbox and the fire-once state, in Azure Tables.
/// Exactly-once enqueue: an alert's outbox rows (one per channel) have deterministic keys (partition = budget id,
/// row = <c>{period}_{kind}_{threshold}_{limit}_{channel}</c>) and are added in one entity-group transaction, so
/// whichever evaluator adds them first wins and every other gets 409 and enqueues nothing. Only after that is the
/// "sent" marker written to <c>alertstate</c> (partition = period key, so one query per period key reads the
/// markers of every budget); a crash between the two only means the next tick collides on the outbox again.
/// Delivery updates rows with their ETag, so two delivery workers never both claim an attempt.
/// ClickHouse's copy of each alert is written by the evaluator (<see cref="AlertRecorder"/>), batched per tick.
/// </summary>
public sealed class AlertOutbox(TableStorage tables)
{
    private TableClient Outbox => tables.Table(TableNames.AlertOutbox);
    private TableClient State => tables.Table(TableNames.AlertState);

    /// <summary>Enqueues the alert for each channel; false when another evaluator (or an earlier tick) already did.</summary>
    public async Task<bool> EnqueueAsync(BudgetAlert alert, BudgetChannels channels, CancellationToken cancellationToken = default)
    {
        var targets = channels.Targets().ToList();
        var entities = targets.Count == 0
            ? [ToEntity(alert, ChannelNames.None, "", AlertStatuses.Recorded)]
            : targets.Select(t => ToEntity(alert, t.Channel, Body(alert, t.Channel), AlertStatuses.Pending)).ToList();

        var enqueued = true;
        try
        {
            if (entities.Count == 1) await Outbox.AddEntityAsync(entities[0], cancellationToken);
            else await Outbox.SubmitTransactionAsync(entities.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            enqueued = false;
        }

        try
        {
            await State.AddEntityAsync(new TableEntity(alert.Period.Key, MarkerKey(alert.BudgetId, alert.Key))
            {
                ["BudgetId"] = alert.BudgetId,
                ["Threshold"] = alert.Threshold,
                ["Kind"] = BudgetDefinition.KindName(alert.Kind),
                ["LimitUsd"] = Money.KeyText(alert.LimitUsd),
                ["AlertId"] = alert.AlertId,
                ["FiredAt"] = alert.FiredAt,
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Written by the evaluator that won, or by an earlier attempt of ours: the marker is the same either way.
        }

        return enqueued;
    }

    /// <summary>
    /// Enqueues a pricing notice for one budget's channels, exactly once as an alert is (row = <c>{notice key}_{channel}</c>
    /// in the budget's partition, so delivery finds the channel's current URL in the budget); false when already enqueued.
    /// A budget without channels records nothing: a notice is only worth something delivered.
    /// </summary>
    public async Task<bool> EnqueueNoticeAsync(PricingNotice notice, string budgetId, BudgetChannels channels, CancellationToken cancellationToken = default)
    {
        var entities = channels.Targets().Select(t => NoticeEntity(notice, budgetId, t.Channel)).ToList();
        if (entities.Count == 0) return false;
        try
        {
            if (entities.Count == 1) await Outbox.AddEntityAsync(entities[0], cancellationToken);
            else await Outbox.SubmitTransactionAsync(entities.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>The keys of the notices already handled (<see cref="MarkNoticeAsync"/>), so a tick does not decide them again.</summary>
    public async Task<HashSet<string>> NoticesMarkedAsync(CancellationToken cancellationToken = default)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in State.QueryAsync<TableEntity>(e => e.PartitionKey == NoticePartition, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(e.RowKey);
        }
        return keys;
    }

    /// <summary>Marks a notice handled, after its enqueues (a crash before only means the next tick collides on the outbox).</summary>
    public async Task MarkNoticeAsync(PricingNotice notice, CancellationToken cancellationToken = default)
    {
        try
        {
            await State.AddEntityAsync(new TableEntity(NoticePartition, notice.Key) { ["Kind"] = notice.Kind, ["Tenant"] = notice.Tenant, ["FiredAt"] = notice.FiredAt }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Marked by a concurrent tick: the same marker.
        }
    }

    // Period keys are dates or date ranges: this partition never collides with one.
    private const string NoticePartition = "notices";

    private static TableEntity NoticeEntity(PricingNotice notice, string budgetId, string channel) =>
        new(budgetId, notice.Key + "_" + channel)
        {
            ["AlertId"] = notice.AlertId(budgetId),
            ["Channel"] = channel,
            ["PeriodKey"] = notice.EffectiveFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            ["Threshold"] = 0,
            ["Kind"] = notice.Kind,
            ["LimitUsd"] = "0",
            ["Summary"] = notice.Summary,
            ["Body"] = Encoding.UTF8.GetString(channel switch
            {
                ChannelNames.Slack => AlertPayloads.Slack(notice),
                ChannelNames.Teams => AlertPayloads.Teams(notice),
                _ => AlertPayloads.Generic(notice, budgetId),
            }),
            ["Status"] = AlertStatuses.Pending,
            ["Attempts"] = 0,
            ["CreatedAt"] = notice.FiredAt,
            ["NextAttemptAt"] = notice.FiredAt,
        };

    /// <summary>The alerts already sent, per (budget id, period key), for the given period keys.</summary>
    public async Task<Dictionary<(string BudgetId, string PeriodKey), HashSet<SentAlert>>> SentAsync(
        IEnumerable<string> periodKeys, CancellationToken cancellationToken = default)
    {
        var sent = new Dictionary<(string, string), HashSet<SentAlert>>();
        foreach (var key in periodKeys.Distinct(StringComparer.Ordinal))
        {
            await foreach (var e in State.QueryAsync<TableEntity>(e => e.PartitionKey == key, maxPerPage: 1000,
                               select: ["BudgetId", "Threshold", "Kind", "LimitUsd"], cancellationToken: cancellationToken))
            {
                var id = (e.GetString("BudgetId"), key);
                if (!sent.TryGetValue(id, out var set)) sent[id] = set = [];
                set.Add(new SentAlert(e.GetInt32("Threshold") ?? 0,
                    e.GetString("Kind") == "forecast" ? ThresholdKind.Forecast : ThresholdKind.Actual,
                    decimal.Parse(e.GetString("LimitUsd"), CultureInfo.InvariantCulture)));
            }
        }
        return sent;
    }

    /// <summary>Outbox rows, newest first, optionally of one budget and/or one status.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> ListAsync(string? budgetId = null, string? status = null, int max = 500, CancellationToken cancellationToken = default)
    {
        var filters = new List<string>();
        if (budgetId is not null) filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {budgetId}"));
        if (status is not null) filters.Add(TableClient.CreateQueryFilter($"Status eq {status}"));
        var list = new List<OutboxEntry>();
        await foreach (var e in Outbox.QueryAsync<TableEntity>(filters.Count == 0 ? null : string.Join(" and ", filters), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(e));
        }
        return list.OrderByDescending(e => e.CreatedAt).ThenBy(e => e.RowKey, StringComparer.Ordinal).Take(max).ToList();
    }

    /// <summary>Pending rows whose next attempt is due at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"Status eq {AlertStatuses.Pending} and NextAttemptAt le {now}");
        var list = new List<OutboxEntry>();
        await foreach (var e in Outbox.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(e));
            if (list.Count >= max) break;
        }
        return list;
    }

    /// <summary>Writes a changed row if nobody changed it since it was read; null when its ETag is stale.</summary>
    public async Task<OutboxEntry?> TryUpdateAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(entry.BudgetId, entry.RowKey)
        {
            ["Status"] = entry.Status,
            ["Attempts"] = entry.Attempts,
            ["NextAttemptAt"] = entry.NextAttemptAt,
            ["LastAttemptAt"] = entry.LastAttemptAt,
            ["DeliveredAt"] = entry.DeliveredAt,
            ["LastStatusCode"] = entry.LastStatusCode,
            ["LastError"] = entry.LastError,
        };
        try
        {
            var response = await Outbox.UpdateEntityAsync(entity, new ETag(entry.ETag), TableUpdateMode.Merge, cancellationToken);
            return entry with { ETag = response.Headers.ETag?.ToString() ?? "" };
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    private static string MarkerKey(string budgetId, string alertKey) => budgetId + "|" + alertKey;

    private static string Body(BudgetAlert alert, string channel) => Encoding.UTF8.GetString(channel switch
    {
        ChannelNames.Slack => AlertPayloads.Slack(alert),
        ChannelNames.Teams => AlertPayloads.Teams(alert),
        _ => AlertPayloads.Generic(alert),
    });

    private static TableEntity ToEntity(BudgetAlert alert, string channel, string body, string status) =>
        new(alert.BudgetId, alert.Key + "_" + channel)
        {
            ["AlertId"] = alert.AlertId,
            ["Channel"] = channel,
            ["PeriodKey"] = alert.Period.Key,
            ["Threshold"] = alert.Threshold,
            ["Kind"] = BudgetDefinition.KindName(alert.Kind),
            ["LimitUsd"] = Money.KeyText(alert.LimitUsd),
            ["Summary"] = alert.Summary,
            ["Body"] = body,
            ["Status"] = status,
            ["Attempts"] = 0,
            ["CreatedAt"] = alert.FiredAt,
            ["NextAttemptAt"] = alert.FiredAt,
        };

    private static OutboxEntry FromEntity(TableEntity e) => new()
    {
        BudgetId = e.PartitionKey,
        RowKey = e.RowKey,
        AlertId = e.GetString("AlertId"),
        Channel = e.GetString("Channel"),
        PeriodKey = e.GetString("PeriodKey"),
        Threshold = e.GetInt32("Threshold") ?? 0,
        Kind = e.GetString("Kind"),
        LimitUsd = decimal.Parse(e.GetString("LimitUsd"), CultureInfo.InvariantCulture),
        Summary = e.GetString("Summary"),
        Body = e.GetString("Body") ?? "",
        Status = e.GetString("Status"),
        Attempts = e.GetInt32("Attempts") ?? 0,
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? e.Timestamp ?? DateTimeOffset.MinValue,
        NextAttemptAt = e.GetDateTimeOffset("NextAttemptAt"),
        LastAttemptAt = e.GetDateTimeOffset("LastAttemptAt"),
        DeliveredAt = e.GetDateTimeOffset("DeliveredAt"),
        LastStatusCode = e.GetInt32("LastStatusCode"),
        LastError = e.GetString("LastError"),
        ETag = e.ETag.ToString(),
    };
}
