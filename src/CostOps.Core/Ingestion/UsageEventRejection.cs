namespace CostOps.Core.Ingestion;

/// <summary>
/// Why one event (or a whole payload) was refused, with what is needed to keep it in <c>ingest_rejects</c>.
/// </summary>
/// <param name="Code">Stable machine-readable code, e.g. <c>input_tokens_negative</c> (see <see cref="RejectCodes"/>).</param>
/// <param name="Message">Human explanation naming the field and the offending value.</param>
public sealed record UsageEventRejection(string Code, string Message)
{
    /// <summary>The event id, when one could be read (empty otherwise), so rejects can be traced to producers.</summary>
    public string EventId { get; init; } = "";

    /// <summary>The tenant, when one could be read (empty otherwise).</summary>
    public string Tenant { get; init; } = "";

    /// <summary>The raw text of the event (or payload), cut to <see cref="UsageEventLimits.MaxRawBytes"/> UTF-8 bytes.</summary>
    public string Raw { get; init; } = "";

    /// <summary>True when <see cref="Raw"/> was cut.</summary>
    public bool RawTruncated { get; init; }

    /// <summary><c>code: message</c>, the form stored in <c>ingest_rejects.reason</c>.</summary>
    public string Reason => Code + ": " + Message;

    /// <summary>
    /// A valid event that storage refused however it was retried and split (<see cref="RejectCodes.StoreFailed"/>):
    /// its normalised JSON is kept as the raw text, so it can be inspected and sent again.
    /// </summary>
    public static UsageEventRejection StoreFailed(UsageEvent usageEvent, string storageError)
    {
        ArgumentNullException.ThrowIfNull(usageEvent);
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(usageEvent, UsageEventJsonContext.Default.UsageEvent);
        return new UsageEventRejection(RejectCodes.StoreFailed, $"storage refused this event every time it was tried alone: {storageError}")
        {
            EventId = usageEvent.EventId,
            Tenant = usageEvent.Tenant,
            Raw = RawText.ForReject(json, out bool truncated),
            RawTruncated = truncated,
        };
    }

    /// <summary>A valid event for a tenant the sender's key does not cover (<see cref="RejectCodes.TenantNotAllowed"/>).</summary>
    public static UsageEventRejection TenantNotAllowed(UsageEvent usageEvent)
    {
        ArgumentNullException.ThrowIfNull(usageEvent);
        return new UsageEventRejection(RejectCodes.TenantNotAllowed, $"this key may not write usage for tenant '{usageEvent.Tenant}'")
        {
            EventId = usageEvent.EventId,
            Tenant = usageEvent.Tenant,
        };
    }

    /// <inheritdoc />
    public override string ToString() => Reason;
}
