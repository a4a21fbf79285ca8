using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using CostOps.Core.Ingestion;

namespace CostOps.Core.Tests.Ingestion;

/// <summary>The published contract (docs/usage-event.schema.json, docs/examples) and the code agree.</summary>
public sealed class UsageEventSchemaTests
{
    private const string SchemaPath = "docs/usage-event.schema.json";
    private readonly UsageEventParser _parser = UsageEventJson.Parser();

    private static JsonElement Schema()
    {
        using var doc = JsonDocument.Parse(RepoFile.Read(SchemaPath));
        return doc.RootElement.Clone();
    }

    public static TheoryData<int> ExampleIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Schema().GetProperty("examples").GetArrayLength(); i++)
            data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleIndexes))]
    public void Every_schema_example_parses_and_validates(int index)
    {
        var example = Schema().GetProperty("examples")[index].GetRawText();

        var result = Assert.Single(_parser.Parse(example));

        Assert.True(result.IsAccepted, result.ToString());
    }

    [Fact]
    public void Schema_examples_cover_every_normalisation_rule()
    {
        var examples = Schema().GetProperty("examples").EnumerateArray().Select(e => e.GetRawText()).ToList();

        Assert.Contains(examples, e => e.Contains("\"usage_style\":\"anthropic\"", StringComparison.Ordinal) || e.Contains("\"usage_style\": \"anthropic\"", StringComparison.Ordinal));
        Assert.Contains(examples, e => e.Contains("prompt_tokens_details", StringComparison.Ordinal));
        Assert.Contains(examples, e => e.Contains("cache_read_input_tokens", StringComparison.Ordinal) && e.Contains("\"usage\"", StringComparison.Ordinal));
        Assert.Contains(examples, e => e.Contains("prompt_text", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("docs/examples/single.json", PayloadFormat.Single, 1)]
    [InlineData("docs/examples/batch.json", PayloadFormat.Array, 4)]
    [InlineData("docs/examples/events.ndjson", PayloadFormat.Ndjson, 8)]
    [InlineData("docs/examples/cloudevent.json", PayloadFormat.Single, 1)]
    [InlineData("docs/examples/cloudevents-batch.json", PayloadFormat.Array, 3)]
    public void Example_payloads_are_accepted_in_full(string path, PayloadFormat expectedFormat, int events)
    {
        var results = new List<UsageEventResult>();

        var format = _parser.Parse(RepoFile.Read(path), results);

        Assert.Equal(expectedFormat, format);
        Assert.Equal(events, results.Count);
        Assert.All(results, r => Assert.True(r.IsAccepted, r.ToString()));
    }

    [Fact]
    public void Schema_describes_every_member_of_the_csharp_type()
    {
        var schemaNames = Schema().GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        var typeNames = typeof(UsageEvent).GetProperties()
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name)
            .ToList();

        Assert.DoesNotContain(null, typeNames);
        Assert.Subset(schemaNames, typeNames.ToHashSet()!);
        // Wire-only inputs, normalised away by the parser.
        Assert.Equal(["cache_creation_input_tokens", "cache_read_input_tokens", "route", "usage", "usage_style"],
            schemaNames.Except(typeNames!).Order());
    }

    [Fact]
    public void Schema_limits_match_the_validator_limits()
    {
        var p = Schema().GetProperty("properties");
        int MaxLength(string name) => p.GetProperty(name).GetProperty("maxLength").GetInt32();

        Assert.Equal(UsageEventLimits.MaxEventIdLength, MaxLength("event_id"));
        foreach (var name in new[] { "tenant", "model", "project", "feature", "route", "deployment" })
            Assert.Equal(UsageEventLimits.MaxNameLength, MaxLength(name));
        Assert.Equal(UsageEventLimits.MaxUserLength, MaxLength("user"));
        Assert.Equal(UsageEventLimits.MaxShortNameLength, MaxLength("provider"));
        Assert.Equal(UsageEventLimits.MaxShortNameLength, MaxLength("status"));
        Assert.Equal(UsageEventLimits.MaxErrorTypeLength, MaxLength("error_type"));
        Assert.Equal(UsageEventLimits.MaxPromptHashLength, MaxLength("prompt_hash"));
        Assert.Equal(UsageEventLimits.MaxRequestHashLength, MaxLength("request_hash"));
        Assert.Equal(UsageEventLimits.MaxTemperature, p.GetProperty("temperature").GetProperty("maximum").GetDecimal());
        Assert.Equal(UsageEventLimits.MaxTextLength, MaxLength("prompt_text"));
        foreach (var name in new[] { "input_tokens", "output_tokens", "cached_input_tokens", "cache_write_tokens", "reasoning_tokens" })
            Assert.Equal(UsageEventLimits.MaxTokenCount, p.GetProperty(name).GetProperty("maximum").GetInt64());
        Assert.Equal(UsageEventLimits.MaxLatencyMs, p.GetProperty("latency_ms").GetProperty("maximum").GetInt64());
        Assert.Equal(UsageEventLimits.MaxImages, p.GetProperty("images").GetProperty("maximum").GetInt64());
        Assert.Equal(UsageEventLimits.MaxCharacters, p.GetProperty("characters").GetProperty("maximum").GetInt64());
        Assert.Equal(UsageEventLimits.MaxWebSearches, p.GetProperty("web_searches").GetProperty("maximum").GetInt64());
        foreach (var name in new[] { "audio_seconds", "video_seconds" })
            Assert.Equal(UsageEventLimits.MaxSeconds, p.GetProperty(name).GetProperty("maximum").GetDecimal());
        var tags = p.GetProperty("tags");
        Assert.Equal(UsageEventLimits.MaxTags, tags.GetProperty("maxProperties").GetInt32());
        Assert.Equal(UsageEventLimits.MaxTagKeyLength, tags.GetProperty("propertyNames").GetProperty("maxLength").GetInt32());
        Assert.Equal(UsageEventLimits.MaxTagValueLength, tags.GetProperty("additionalProperties").GetProperty("anyOf")[0].GetProperty("maxLength").GetInt32());
    }

    [Fact]
    public void Events_serialized_by_producers_with_the_json_context_parse_back_unchanged()
    {
        var original = new UsageEvent
        {
            EventId = "rt-1",
            Timestamp = UsageEventJson.Now.AddMinutes(-5),
            Tenant = "acme",
            Model = "gpt-4o",
            InputTokens = 100,
            OutputTokens = 20,
            CachedInputTokens = 64,
            ReasoningTokens = 5,
            Feature = "chat",
            LatencyMs = 250,
            Batch = false,
            RequestHash = "sha256:0f1e",
            Temperature = 0.7m,
            Tags = new Dictionary<string, string> { ["env"] = "prod" },
        };

        var json = JsonSerializer.Serialize(original, UsageEventJsonContext.Default.UsageEvent);
        var parsed = Assert.Single(_parser.Parse(json)).Event!;

        Assert.DoesNotContain("null", json);
        Assert.Equal(original with { Tags = null }, parsed with { Tags = null });
        Assert.Equal(original.Tags, parsed.Tags);
    }
}
