using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.Webhooks;

/// <summary>Outbound webhook policy and transport settings (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// <c>Production</c> (default): https only, and hosts that resolve to private, loopback or link-local addresses
    /// are refused, at save time and again when connecting (so DNS rebinding cannot reach the internal network).
    /// <c>Local</c>: plain http to loopback is accepted too, for development and tests.
    /// </summary>
    [Required, RegularExpression("^(Production|Local)$", ErrorMessage = "Webhooks:Mode must be Production or Local.")]
    public string Mode { get; set; } = "Production";

    /// <summary>Time one delivery attempt may take, connect to last response byte. Seconds, 1..120.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:02:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool AllowLocal => Mode == "Local";
}
