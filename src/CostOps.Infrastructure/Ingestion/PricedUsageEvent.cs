using CostOps.Core.Ingestion;
using CostOps.Core.Pricing;

namespace CostOps.Infrastructure.Ingestion;

/// <summary>A valid usage event with the price it got: one row of <c>usage_events</c>.</summary>
public readonly record struct PricedUsageEvent(UsageEvent Event, PricedCost Cost, long InputTokens, long OutputTokens);
