using System.Security.Cryptography;
using System.Text;

namespace CostOps.Core.Recommendations;

/// <summary>What every rule of one analysis shares: the window length and the settings.</summary>
public sealed class RecommendationContext(int windowDays, RecommendationSettings settings)
{
    public int WindowDays { get; } = windowDays > 0 ? windowDays : throw new ArgumentOutOfRangeException(nameof(windowDays), "The window is at least one day.");

    public RecommendationSettings Settings => settings;

    /// <summary>An amount over the window scaled to 30 days (exact for a 30-day window; else to 15 places, femto-dollars).</summary>
    public decimal Per30Days(decimal windowAmount) =>
        WindowDays == 30 ? windowAmount : decimal.Round(windowAmount * 30m / WindowDays, 15);

    /// <summary>A recommendation for a scope, its suggestion left for the rule to fill in.</summary>
    public Recommendation Create(RecommendationKind kind, TrafficScope scope) => new()
    {
        Kind = kind,
        Tenant = scope.Tenant,
        Project = scope.Project,
        Feature = scope.Feature,
        Provider = scope.Provider,
        CurrentModel = scope.Model,
    };

    /// <summary>
    /// The stable id of a proposal: a digest of what it proposes (kind, scope, models, budget), never of its figures,
    /// so the same proposal keeps its id (and its accepted or dismissed state) from run to run as the numbers move.
    /// </summary>
    public static string StableId(Recommendation r)
    {
        var key = string.Join('\u001f', r.Kind.ToWireName(), r.Tenant, r.Project, r.Feature, r.Provider, r.CurrentModel,
            r.SuggestedProvider, r.SuggestedModel, r.BudgetId);
        return "rec_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..20];
    }
}
