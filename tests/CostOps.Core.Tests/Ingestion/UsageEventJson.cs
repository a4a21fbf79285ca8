using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Core.Tests.Ingestion;

/// <summary>Builds usage event JSON for tests: a valid event by default, changed one field at a time.</summary>
internal sealed class UsageEventJson
{
    /// <summary>The clock every ingestion test validates against.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly JsonObject _json;

    private UsageEventJson(JsonObject json) => _json = json;

    public static UsageEventJson Valid(string eventId = "evt-1") => new(new JsonObject
    {
        ["event_id"] = eventId,
        ["timestamp"] = "2025-06-01T11:59:00.123Z",
        ["tenant"] = "acme",
        ["model"] = "gpt-4o-2024-08-06",
        ["input_tokens"] = 1200,
        ["output_tokens"] = 300,
    });

    public UsageEventJson With(string field, JsonNode? value)
    {
        _json[field] = value;
        return this;
    }

    public UsageEventJson Without(string field)
    {
        _json.Remove(field);
        return this;
    }

    public JsonObject Node() => (JsonObject)_json.DeepClone();

    public override string ToString() => _json.ToJsonString();

    public static FakeTimeProvider Clock() => new(Now);

    public static CostOps.Core.Ingestion.UsageEventParser Parser() => new(Clock());
}
