using System.Text.Json.Nodes;

namespace CostOps.Integration.Tests.Spend;

/// <summary>
/// One small dataset and its spend by tenant and model, computed by hand from catalog prices written out (USD per 1M
/// tokens), shared by the HTTP API's and the CLI's tests so both answer the same question with the same figures.
/// </summary>
public static class SpendKnownAnswer
{
    public const string From = "2026-11-20T00:00:00Z";
    public const string To = "2026-11-21T00:00:00Z";
    public const string GroupBy = "tenant,model";

    /// <summary>Six events, one repeated (a producer retry) and one outside the range.</summary>
    public static readonly string Ndjson = string.Join('\n',
        """{"event_id":"ka-1","timestamp":"2026-11-20T10:15:00Z","tenant":"ka-acme","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":200}""",
        """{"event_id":"ka-2","timestamp":"2026-11-20T11:05:00Z","tenant":"ka-acme","provider":"openai","model":"gpt-4o","input_tokens":3000,"output_tokens":500}""",
        """{"event_id":"ka-2","timestamp":"2026-11-20T11:05:00Z","tenant":"ka-acme","provider":"openai","model":"gpt-4o","input_tokens":3000,"output_tokens":500}""",
        """{"event_id":"ka-3","timestamp":"2026-11-20T10:40:00Z","tenant":"ka-acme","provider":"openai","model":"gpt-4o-mini","input_tokens":10000,"output_tokens":1000}""",
        """{"event_id":"ka-4","timestamp":"2026-11-20T12:30:00Z","tenant":"ka-beta","provider":"anthropic","model":"claude-haiku-4-5","input_tokens":2000,"output_tokens":400}""",
        """{"event_id":"ka-5","timestamp":"2026-11-20T23:59:00Z","tenant":"ka-beta","provider":"acme-llm","model":"mystery-9","input_tokens":500,"output_tokens":50}""",
        """{"event_id":"ka-6","timestamp":"2026-11-21T00:00:00Z","tenant":"ka-acme","provider":"openai","model":"gpt-4o","input_tokens":9000,"output_tokens":900}""") + "\n";

    public sealed record Row(string Tenant, string Model, decimal CostUsd, long Requests, long InputTokens, long OutputTokens, long UnpricedRequests);

    /// <summary>In the order the answer lists them: by cost, highest first.</summary>
    public static readonly Row[] Expected =
    [
        // gpt-4o $2.50 / $10: ka-1 0.0025 + 0.002, ka-2 (once) 0.0075 + 0.005.
        new("ka-acme", "gpt-4o", 0.017m, 2, 4_000, 700, 0),
        // Unknown model of an unknown provider: never $0, priced at the configured default estimate ($15 / $75 per 1M):
        // 0.0075 + 0.00375, and still counted as unpriced.
        new("ka-beta", "mystery-9", 0.01125m, 1, 500, 50, 1),
        // claude-haiku-4-5 $1 / $5: 0.002 + 0.002.
        new("ka-beta", "claude-haiku-4-5", 0.004m, 1, 2_000, 400, 0),
        // gpt-4o-mini $0.15 / $0.60: 0.0015 + 0.0006.
        new("ka-acme", "gpt-4o-mini", 0.0021m, 1, 10_000, 1_000, 0),
    ];

    /// <summary>Asserts a spend answer (the JSON array both the API and <c>costops spend --json</c> print) equals <see cref="Expected"/>.</summary>
    public static void AssertMatches(string json)
    {
        var rows = JsonNode.Parse(json)!.AsArray().Select(r => new Row(
            (string)r!["tenant"]!, (string)r["model"]!,
            decimal.Parse((string)r["cost_usd"]!, System.Globalization.CultureInfo.InvariantCulture),
            (long)r["requests"]!, (long)r["input_tokens"]!, (long)r["output_tokens"]!, (long)r["unpriced_requests"]!)).ToList();
        Assert.Equal(Expected, rows);
    }
}
