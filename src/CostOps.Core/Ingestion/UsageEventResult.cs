namespace CostOps.Core.Ingestion;

/// <summary>
/// The outcome for one event of a payload: either the parsed, normalised, valid <see cref="Event"/>, or the
/// <see cref="Rejection"/>. A whole-payload rejection is one result at index 0.
/// </summary>
public readonly struct UsageEventResult
{
    private UsageEventResult(int index, UsageEvent? @event, UsageEventRejection? rejection)
    {
        Index = index;
        Event = @event;
        Rejection = rejection;
    }

    /// <summary>0-based position of the event in its payload (array element, or non-blank NDJSON line).</summary>
    public int Index { get; }

    /// <summary>The accepted event; null when rejected.</summary>
    public UsageEvent? Event { get; }

    /// <summary>Why the event was refused; null when accepted.</summary>
    public UsageEventRejection? Rejection { get; }

    /// <summary>True when <see cref="Event"/> holds a valid event.</summary>
    public bool IsAccepted => Event is not null;

    /// <summary>An accepted event.</summary>
    public static UsageEventResult Accepted(int index, UsageEvent @event) => new(index, @event, null);

    /// <summary>A refused event.</summary>
    public static UsageEventResult Rejected(int index, UsageEventRejection rejection) => new(index, null, rejection);

    /// <inheritdoc />
    public override string ToString() => IsAccepted ? $"#{Index} accepted {Event!.EventId}" : $"#{Index} rejected {Rejection}";
}
