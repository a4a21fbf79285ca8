using CostOps.Core.Recommendations;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>One analysis run: its id, when it ran, the window it read and the recommendations it produced.</summary>
public sealed record RecommendationRun(
    string RunId,
    DateTimeOffset RunAt,
    int WindowDays,
    string TenantFilter,
    IReadOnlyList<Recommendation> Recommendations,
    int Scopes = 0,
    TimeSpan Elapsed = default,
    TimeSpan QueryElapsed = default,
    TimeSpan AnalysisElapsed = default,
    TimeSpan WriteElapsed = default);
