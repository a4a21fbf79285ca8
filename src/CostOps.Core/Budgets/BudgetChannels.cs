namespace CostOps.Core.Budgets;

/// <summary>Where a budget's alerts go. Any combination, or none (alerts are then only recorded).</summary>
public sealed record BudgetChannels(
    Uri? WebhookUrl = null,
    string? WebhookSecret = null,
    Uri? SlackUrl = null,
    Uri? TeamsUrl = null)
{
    public static BudgetChannels None { get; } = new();

    /// <summary>The configured channels with their URLs, in a stable order (the outbox keys on the channel name).</summary>
    public IEnumerable<(string Channel, Uri Url)> Targets()
    {
        if (WebhookUrl is not null) yield return (ChannelNames.Webhook, WebhookUrl);
        if (SlackUrl is not null) yield return (ChannelNames.Slack, SlackUrl);
        if (TeamsUrl is not null) yield return (ChannelNames.Teams, TeamsUrl);
    }
}
