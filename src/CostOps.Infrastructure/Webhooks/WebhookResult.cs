namespace CostOps.Infrastructure.Webhooks;

/// <summary>The outcome of one delivery attempt.</summary>
/// <param name="Permanent">True when retrying cannot help (e.g. 400, 404, a refused address): fail now.</param>
public sealed record WebhookResult(bool Success, int? StatusCode, string? Error, bool Permanent = false);
