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

    /// <summary>The rules' settings these options stand for.</summary>
    public RecommendationSettings ToSettings() => new()
    {
        MinSamples = MinSamples,
        LongOutputTokens = LongOutputTokens,
        HighErrorRate = HighErrorRate,
        MinCacheablePrefixTokens = MinCacheablePrefixTokens,
        UnpricedShareThreshold = UnpricedShareThreshold,
        MinSavings30dUsd = MinSavingsUsd,
    };
}
