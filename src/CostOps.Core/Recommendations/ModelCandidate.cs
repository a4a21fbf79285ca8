using CostOps.Core.Pricing;

namespace CostOps.Core.Recommendations;

/// <summary>A cheaper model that can take a scope's work, with the scope's traffic re-priced at its prices.</summary>
/// <param name="Model">The candidate.</param>
/// <param name="ObservedCostUsd">The scope's traffic at the current model's prices.</param>
/// <param name="ProjectedCostUsd">The same traffic at the candidate's prices.</param>
/// <param name="ClassStep">Candidate class minus current class: 0 same, +1 one above, −1 one below.</param>
public sealed record ModelCandidate(CatalogModel Model, decimal ObservedCostUsd, decimal ProjectedCostUsd, int ClassStep)
{
    public decimal SavingUsd => ObservedCostUsd - ProjectedCostUsd;
}
