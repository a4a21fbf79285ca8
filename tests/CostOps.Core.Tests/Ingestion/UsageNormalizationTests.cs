using System.Text.Json.Nodes;
using CostOps.Core.Ingestion;

namespace CostOps.Core.Tests.Ingestion;

public sealed class UsageNormalizationTests
{
    private readonly UsageEventParser _parser = UsageEventJson.Parser();

    private UsageEvent Accepted(UsageEventJson json)
    {
        var result = Assert.Single(_parser.Parse(json.ToString()));
        Assert.True(result.IsAccepted, result.ToString());
        return result.Event!;
    }

    private string RejectedCode(UsageEventJson json) => Assert.Single(_parser.Parse(json.ToString())).Rejection!.Code;

    [Fact]
    public void Otel_counts_are_taken_as_given()
    {
        var e = Accepted(UsageEventJson.Valid().With("input_tokens", 1000).With("cached_input_tokens", 800).With("cache_write_tokens", 200));

        Assert.Equal((1000L, 800L, 200L), (e.InputTokens, e.CachedInputTokens, e.CacheWriteTokens));
    }

    [Fact]
    public void Anthropic_field_names_add_cache_reads_and_writes_to_input()
    {
        var e = Accepted(UsageEventJson.Valid()
            .With("input_tokens", 50).With("cache_read_input_tokens", 1000).With("cache_creation_input_tokens", 200));

        Assert.Equal((1250L, 1000L, 200L), (e.InputTokens, e.CachedInputTokens, e.CacheWriteTokens));
    }

    [Fact]
    public void Anthropic_marker_alone_selects_the_rule()
    {
        var e = Accepted(UsageEventJson.Valid().With("usage_style", "anthropic").With("input_tokens", 50));

        Assert.Equal(50L, e.InputTokens);
        Assert.Null(e.CachedInputTokens);
    }

    [Fact]
    public void Nested_anthropic_usage_object_is_normalised()
    {
        var usage = new JsonObject
        {
            ["input_tokens"] = 10, ["cache_creation_input_tokens"] = 300, ["cache_read_input_tokens"] = 4000, ["output_tokens"] = 120,
            ["cache_creation"] = new JsonObject { ["ephemeral_5m_input_tokens"] = 300, ["ephemeral_1h_input_tokens"] = 0 },
            ["service_tier"] = "standard",
        };

        var e = Accepted(UsageEventJson.Valid().Without("input_tokens").Without("output_tokens").With("usage", usage));

        Assert.Equal((4310L, 120L, 4000L, 300L), (e.InputTokens, e.OutputTokens, e.CachedInputTokens, e.CacheWriteTokens));
    }

    [Fact]
    public void Nested_openai_chat_completions_usage_is_taken_with_its_details()
    {
        var usage = JsonNode.Parse("""
            {"prompt_tokens":2000,"completion_tokens":900,"total_tokens":2900,
             "prompt_tokens_details":{"cached_tokens":1536,"audio_tokens":0},
             "completion_tokens_details":{"reasoning_tokens":640,"audio_tokens":0}}
            """);

        var e = Accepted(UsageEventJson.Valid().Without("input_tokens").Without("output_tokens").With("usage", usage));

        Assert.Equal((2000L, 900L, 1536L, 640L), (e.InputTokens, e.OutputTokens, e.CachedInputTokens, e.ReasoningTokens));
        Assert.Null(e.CacheWriteTokens);
    }

    [Fact]
    public void Nested_openai_responses_usage_is_already_otel_shaped()
    {
        var usage = JsonNode.Parse("""
            {"input_tokens":2000,"input_tokens_details":{"cached_tokens":1024},
             "output_tokens":500,"output_tokens_details":{"reasoning_tokens":384},"total_tokens":2500}
            """);

        var e = Accepted(UsageEventJson.Valid().Without("input_tokens").Without("output_tokens").With("usage", usage));

        Assert.Equal((2000L, 500L, 1024L, 384L), (e.InputTokens, e.OutputTokens, e.CachedInputTokens, e.ReasoningTokens));
    }

    [Fact]
    public void Openai_marker_is_the_otel_convention()
    {
        var e = Accepted(UsageEventJson.Valid().With("usage_style", "openai").With("cached_input_tokens", 100));

        Assert.Equal((1200L, 100L), (e.InputTokens, e.CachedInputTokens));
    }

    [Fact]
    public void Normalised_anthropic_counts_are_validated_against_the_total()
    {
        var json = UsageEventJson.Valid().With("input_tokens", 999_999_999).With("cache_read_input_tokens", 10);

        Assert.Equal("input_tokens_too_large", RejectedCode(json));
    }

    [Theory]
    [InlineData("""{"usage":{"input_tokens":1,"output_tokens":1}}""", "usage_conflict")]
    [InlineData("""{"usage_style":"otel","cache_read_input_tokens":5}""", "usage_conflict")]
    [InlineData("""{"cache_read_input_tokens":5,"cached_input_tokens":5}""", "usage_conflict")]
    [InlineData("""{"usage_style":"anthropic","cache_write_tokens":5}""", "usage_conflict")]
    [InlineData("""{"usage_style":"gemini"}""", "usage_style_invalid")]
    [InlineData("""{"usage_style":1}""", "usage_style_invalid")]
    [InlineData("""{"cache_read_input_tokens":-5}""", "cache_read_input_tokens_negative")]
    [InlineData("""{"cache_creation_input_tokens":"5"}""", "cache_creation_input_tokens_wrong_type")]
    public void Ambiguous_or_bad_usage_is_rejected(string extra, string code)
    {
        var json = UsageEventJson.Valid();
        foreach (var (key, value) in JsonNode.Parse(extra)!.AsObject())
            json.With(key, value?.DeepClone());

        Assert.Equal(code, RejectedCode(json));
    }

    [Theory]
    [InlineData("""{"prompt_tokens":10,"input_tokens":10}""", "usage_conflict")]
    [InlineData("""{"prompt_tokens":10,"cache_read_input_tokens":10}""", "usage_conflict")]
    [InlineData("""{"prompt_tokens":10,"completion_tokens":-1}""", "completion_tokens_negative")]
    [InlineData("""{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":11}}""", "cache_tokens_exceed_input")]
    [InlineData("""{"prompt_tokens":10,"completion_tokens":5,"completion_tokens_details":{"reasoning_tokens":6}}""", "reasoning_tokens_exceed_output")]
    [InlineData("""{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":[1]}""", "prompt_tokens_details_wrong_type")]
    [InlineData("""{"prompt_tokens":10}""", "output_tokens_missing")]
    public void Bad_nested_usage_is_rejected(string usage, string code)
    {
        var json = UsageEventJson.Valid().Without("input_tokens").Without("output_tokens").With("usage", JsonNode.Parse(usage));

        Assert.Equal(code, RejectedCode(json));
    }

    [Fact]
    public void Usage_of_the_wrong_type_is_rejected()
    {
        Assert.Equal("usage_wrong_type", RejectedCode(UsageEventJson.Valid().Without("input_tokens").Without("output_tokens").With("usage", "lots")));
    }
}
