namespace CostOps.Infrastructure.Alerts;

/// <summary>What one delivery run did.</summary>
public sealed record DeliveryReport(int Due, int Delivered, int Retrying, int Failed, int Skipped);
