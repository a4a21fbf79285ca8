namespace CostOps.Core.Pricing;

/// <summary>
/// A tenant's name for a model, e.g. an Azure OpenAI deployment name (<c>chat-prod</c>) that means <c>gpt-4o</c>.
/// </summary>
/// <param name="Tenant">The tenant the alias belongs to.</param>
/// <param name="Alias">The model string producers send (exact, case-insensitive).</param>
/// <param name="Model">The model id it stands for (any id the catalog resolves).</param>
/// <param name="Provider">The provider it implies; <see cref="ProviderId.Unknown"/> keeps the event's provider.</param>
public sealed record ModelAlias(string Tenant, string Alias, string Model, ProviderId Provider = ProviderId.Unknown);
