using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.Webhooks;

/// <summary>Outbound webhook policy and transport settings (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// <c>Production</c> (default). <c>Local</c> is the older name of <see cref="AllowLoopback"/> = true. In every mode
    /// https is required and hosts that resolve to private, link-local, CGNAT, NAT64/6to4-wrapped private or (unless
    /// <see cref="AllowLoopback"/>) loopback addresses are refused, at save time and again when connecting (so DNS
    /// rebinding cannot reach the internal network).
    /// </summary>
    [Required, RegularExpression("^(Production|Local)$", ErrorMessage = "Webhooks:Mode must be Production or Local.")]
    public string Mode { get; set; } = "Production";

    /// <summary>
    /// Accept receivers on loopback (127.0.0.0/8, ::1, localhost), over plain http too: the demo's own receiver and
    /// tests. Off by default, and on in <c>costops demo</c> only; every other private address stays refused.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Time one delivery attempt may take, connect to last response byte. Seconds, 1..120.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:02:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool AllowLocal => AllowLoopback || Mode == "Local";
}
