using CostOps.Core.Budgets;

namespace CostOps.Infrastructure.Alerts;

/// <summary>One alert for one channel in the outbox, with its delivery state. <see cref="ETag"/> guards every update.</summary>
public sealed record OutboxEntry
{
    public required string BudgetId { get; init; }

    /// <summary>Row key: <c>{period}_{kind}_{threshold}_{limit}_{channel}</c>, deterministic, so a second enqueue collides.</summary>
    public required string RowKey { get; init; }

    /// <summary>The alert's idempotency key (same for every channel and every attempt), sent as <c>Idempotency-Key</c>.</summary>
    public required string AlertId { get; init; }

    /// <summary>
    /// The channel of the budget to deliver to. The row holds this reference, never the target URL: Slack and Teams URLs
    /// are credentials, and the budget's current URL is the one that counts (read at send time).
    /// </summary>
    public required string Channel { get; init; }
    public required string PeriodKey { get; init; }
    public required int Threshold { get; init; }
    public required string Kind { get; init; }
    public required decimal LimitUsd { get; init; }
    public required string Summary { get; init; }

    /// <summary>The exact bytes to POST (UTF-8 JSON), fixed at enqueue time.</summary>
    public required string Body { get; init; }

    public required string Status { get; init; }
    public required int Attempts { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public string ETag { get; init; } = "";

    /// <summary>Whether the row is a pricing notice (<see cref="Kind"/> names it; it has no threshold or limit).</summary>
    public bool IsNotice => Kind is PricingNotice.PriceChange or PricingNotice.UnknownModel;
}
