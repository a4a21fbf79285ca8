namespace CostOps.Core.Pricing.CommunityMap;

/// <summary>What a price map held: the entries it prices, and each entry it could not price with the reason.</summary>
public sealed record LiteLlmMapReadResult(IReadOnlyList<CatalogModel> Models, IReadOnlyList<string> Skipped);
