namespace CostOps.Core.Budgets;

/// <summary>Channel names as stored in the outbox and shown by the API; part of the outbox key, so never renamed.</summary>
public static class ChannelNames
{
    public const string Webhook = "webhook";
    public const string Slack = "slack";
    public const string Teams = "teams";

    /// <summary>An alert of a budget without channels: recorded, nothing to deliver.</summary>
    public const string None = "none";
}
