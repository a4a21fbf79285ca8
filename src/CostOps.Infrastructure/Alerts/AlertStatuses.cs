namespace CostOps.Infrastructure.Alerts;

/// <summary>Delivery states of an outbox row, as stored and shown by the API and <c>costops alerts list</c>.</summary>
public static class AlertStatuses
{
    /// <summary>Waiting for its first or next attempt (<c>NextAttemptAt</c>).</summary>
    public const string Pending = "pending";

    /// <summary>A receiver answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Gave up: attempts exhausted or a permanent refusal; <c>LastError</c> says why.</summary>
    public const string Failed = "failed";

    /// <summary>The budget has no channels: the alert is recorded (here and in ClickHouse), nothing to send.</summary>
    public const string Recorded = "recorded";
}
