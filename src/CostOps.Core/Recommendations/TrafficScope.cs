namespace CostOps.Core.Recommendations;

/// <summary>
/// The unit traffic is analysed in: one model's calls for one (tenant, project, feature). <see cref="Model"/> is the
/// canonical model when the call was priced, else the model string as sent (unpriced traffic has no canonical id).
/// </summary>
public sealed record TrafficScope(string Tenant, string Project, string Feature, string Provider, string Model)
{
    /// <summary>A short human form, e.g. <c>acme/chat/assistant openai/gpt-4o</c>.</summary>
    public override string ToString() => $"{Tenant}/{Project}/{Feature} {Provider}/{Model}";
}
