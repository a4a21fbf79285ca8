namespace CostOps.Core.Ingestion;

/// <summary>The token-count convention an event declares (<c>usage_style</c>) or implies.</summary>
internal enum UsageStyle
{
    Unspecified,
    Otel,
    Anthropic,
}
