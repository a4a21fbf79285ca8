using System.ComponentModel.DataAnnotations;
using CostOps.Core.Recommendations;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>Settings of the recommendation runs (section <c>Recommendations</c>). The schedule itself is the
/// <c>RecommendationsSchedule</c> app setting (a CRON expression read by the timer binding).</summary>
public sealed class RecommendationOptions
{
    public const string SectionName = "Recommendations";

    /// <summary>Days of traffic each run analyses (ending now).</summary>
    [Range(1, 366)]
    public int WindowDays { get; set; } = 30;

    /// <summary>A digest is sent after a scheduled run only for new recommendations saving at least this much, USD per 30 days.</summary>
    [Range(typeof(decimal), "0", "79228162514264337593543950335")]
    public decimal DigestMinimumSavingsUsd { get; set; } = 50m;

    /// <summary>Fewer calls than this in the window lower a substitution's confidence.</summary>
    [Range(1, long.MaxValue)]
    public long MinSamples { get; set; } = 100;

    /// <summary>Outputs above this many tokens are long; more than 5 % of such calls lower a substitution's confidence.</summary>
    [Range(1, long.MaxValue)]
    public long LongOutputTokens { get; set; } = 2_000;

    /// <summary>An error share (0 to 1) above this lowers a substitution's confidence.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal HighErrorRate { get; set; } = 0.05m;

    /// <summary>Shortest prompt (tokens) the providers cache; shorter repeats are ignored.</summary>
    [Range(0, long.MaxValue)]
    public long MinCacheablePrefixTokens { get; set; } = 1_024;

    /// <summary>Unpriced calls above this share (0 to 1) of a tenant's calls are reported.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal UnpricedShareThreshold { get; set; } = 0.01m;

    /// <summary>Savings below this, USD per 30 days, are not reported at all.</summary>
    [Range(typeof(decimal), "0", "79228162514264337593543950335")]
    public decimal MinSavingsUsd { get; set; } = 0.01m;

    /// <summary>
    /// What a response cache costs, USD per 30 days, subtracted from each response-cache saving. Default: Azure Cache for
    /// Redis Standard C0 at a $0.055 hourly list price × 730 hours (40.15); set your own tier and region.
    /// </summary>
    [Range(typeof(decimal), "0", "79228162514264337593543950335")]
    public decimal ResponseCacheCostUsd { get; set; } = 40.15m;

    /// <summary>Repeated calls sampled above this temperature (0 to 2) lower a response cache's confidence.</summary>
    [Range(typeof(decimal), "0", "2")]
    public decimal HighTemperature { get; set; } = 0.5m;

    /// <summary>Distillation: fewest calls a day (window average) on a large model.</summary>
    [Range(1, long.MaxValue)]
    public long DistillationMinDailyCalls { get; set; } = 1_000;

    /// <summary>Distillation: smallest share (0 to 1) of the window's days with calls.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal DistillationMinActiveDayShare { get; set; } = 0.8m;

    /// <summary>Distillation: largest coefficient of variation of daily calls (standard deviation / mean).</summary>
    [Range(typeof(decimal), "0", "100")]
    public decimal DistillationMaxDailyVariation { get; set; } = 0.5m;

    /// <summary>Distillation: training examples sampled from the scope's calls.</summary>
    [Range(1, long.MaxValue)]
    public long DistillationTrainingExamples { get; set; } = 10_000;

    /// <summary>Distillation: training epochs (each is billed).</summary>
    [Range(1, 100)]
    public int DistillationEpochs { get; set; } = 3;

    /// <summary>Distillation: the fine-tuning cost must be paid back within this many days.</summary>
    [Range(1, 3650)]
    public int DistillationMaxBreakEvenDays { get; set; } = 90;

    /// <summary>The rules' settings these options stand for.</summary>
    public RecommendationSettings ToSettings() => new()
    {
        MinSamples = MinSamples,
        LongOutputTokens = LongOutputTokens,
        HighErrorRate = HighErrorRate,
        MinCacheablePrefixTokens = MinCacheablePrefixTokens,
        UnpricedShareThreshold = UnpricedShareThreshold,
        MinSavings30dUsd = MinSavingsUsd,
        ResponseCacheCost30dUsd = ResponseCacheCostUsd,
        HighTemperature = HighTemperature,
        DistillationMinDailyCalls = DistillationMinDailyCalls,
        DistillationMinActiveDayShare = DistillationMinActiveDayShare,
        DistillationMaxDailyVariation = DistillationMaxDailyVariation,
        DistillationTrainingExamples = DistillationTrainingExamples,
        DistillationEpochs = DistillationEpochs,
        DistillationMaxBreakEvenDays = DistillationMaxBreakEvenDays,
    };
}
