namespace CostOps.Core.Recommendations;

/// <summary>
/// How steady a scope's traffic is over the window, read only for scopes whose volume and model could qualify for
/// distillation (<see cref="DistillationRule.NeedsVolume"/>).
/// Days are 24-hour buckets counted back from the window's end, so every bucket is a whole day.
/// </summary>
/// <param name="ActiveDays">Days with at least one call.</param>
/// <param name="DailyVariation">Coefficient of variation of the calls per day (standard deviation / mean, days without calls included).</param>
/// <param name="OutputVariation">Coefficient of variation of output tokens per call: how much the answers' length varies.</param>
public sealed record DailyVolume(int ActiveDays, decimal DailyVariation, decimal OutputVariation);
