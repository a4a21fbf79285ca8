using CostOps.Core.Ingestion;

namespace CostOps.Core.Tests.Ingestion;

public sealed class UsageEventValidatorTests
{
    private static readonly UsageEventValidator Validator = new(UsageEventJson.Clock());

    private static UsageEvent Valid() => new()
    {
        EventId = "evt-1",
        Timestamp = UsageEventJson.Now.AddMinutes(-1),
        Tenant = "acme",
        Model = "claude-sonnet-4-5",
        InputTokens = 1000,
        OutputTokens = 200,
    };

    private static string? Code(UsageEvent e) => Validator.Validate(e)?.Code;

    [Fact]
    public void A_minimal_event_is_valid()
    {
        Assert.Null(Validator.Validate(Valid()));
    }

    [Fact]
    public void Messages_are_code_then_human_text_with_the_value()
    {
        var rejection = Validator.Validate(Valid() with { InputTokens = -5 })!;

        Assert.Equal("input_tokens_negative: input_tokens must be >= 0, got -5", rejection.Reason);
        Assert.Equal(("evt-1", "acme"), (rejection.EventId, rejection.Tenant));
    }

    [Theory]
    [InlineData(null, "event_id_missing")]
    [InlineData("", "event_id_empty")]
    [InlineData("   ", "event_id_empty")]
    [InlineData("a\u0000b", "event_id_invalid")]
    [InlineData("line\nbreak", "event_id_invalid")]
    [InlineData("c1\u0085", "event_id_invalid")]
    public void Event_id_must_be_a_non_empty_printable_string(string? id, string code)
    {
        Assert.Equal(code, Code(Valid() with { EventId = id! }));
    }

    [Fact]
    public void Event_id_length_is_bounded()
    {
        Assert.Null(Code(Valid() with { EventId = new string('x', 256) }));
        Assert.Equal("event_id_too_long", Code(Valid() with { EventId = new string('x', 257) }));
    }

    [Fact]
    public void Timestamp_may_be_up_to_a_day_ahead_of_the_clock()
    {
        Assert.Null(Code(Valid() with { Timestamp = UsageEventJson.Now.AddDays(1) }));
        Assert.Equal("timestamp_in_future", Code(Valid() with { Timestamp = UsageEventJson.Now.AddDays(1).AddMilliseconds(1) }));
    }

    [Fact]
    public void Unset_or_ancient_timestamps_are_refused()
    {
        Assert.Equal("timestamp_too_old", Code(Valid() with { Timestamp = default }));
        Assert.Equal("timestamp_too_old", Code(Valid() with { Timestamp = DateTimeOffset.UnixEpoch }));
    }

    [Fact]
    public void The_clock_comes_from_the_time_provider()
    {
        var clock = UsageEventJson.Clock();
        var validator = new UsageEventValidator(clock);
        var e = Valid() with { Timestamp = UsageEventJson.Now.AddDays(3) };

        Assert.Equal("timestamp_in_future", validator.Validate(e)?.Code);
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Null(validator.Validate(e));
    }

    [Theory]
    [InlineData(-1L, "input_tokens_negative")]
    [InlineData(1_000_000_001L, "input_tokens_too_large")]
    public void Input_tokens_are_bounded(long value, string code)
    {
        Assert.Equal(code, Code(Valid() with { InputTokens = value }));
    }

    [Fact]
    public void Every_count_is_checked_by_name()
    {
        Assert.Equal("output_tokens_negative", Code(Valid() with { OutputTokens = -1 }));
        Assert.Equal("cached_input_tokens_negative", Code(Valid() with { CachedInputTokens = -1 }));
        Assert.Equal("cache_write_tokens_too_large", Code(Valid() with { CacheWriteTokens = 2_000_000_000 }));
        Assert.Equal("reasoning_tokens_negative", Code(Valid() with { ReasoningTokens = -1 }));
        Assert.Null(Code(Valid() with { InputTokens = 1_000_000_000, OutputTokens = 0 }));
    }

    [Fact]
    public void Cache_reads_and_writes_together_must_fit_in_input()
    {
        Assert.Null(Code(Valid() with { CachedInputTokens = 600, CacheWriteTokens = 400 }));
        Assert.Equal("cache_tokens_exceed_input", Code(Valid() with { CachedInputTokens = 600, CacheWriteTokens = 401 }));
        Assert.Equal("cache_tokens_exceed_input", Code(Valid() with { CachedInputTokens = 1001 }));
    }

    [Fact]
    public void Reasoning_must_fit_in_output()
    {
        Assert.Null(Code(Valid() with { ReasoningTokens = 200 }));
        Assert.Equal("reasoning_tokens_exceed_output", Code(Valid() with { ReasoningTokens = 201 }));
    }

    [Fact]
    public void Counts_may_be_left_out_only_when_text_is_sent_for_estimation()
    {
        Assert.Equal("input_tokens_missing", Code(Valid() with { InputTokens = null }));
        Assert.Equal("output_tokens_missing", Code(Valid() with { OutputTokens = null }));
        Assert.Null(Code(Valid() with { InputTokens = null, OutputTokens = null, PromptText = "Hello", CompletionText = "Hi!" }));
        Assert.Equal("input_tokens_missing", Code(Valid() with { InputTokens = null, PromptText = "x", CachedInputTokens = 5 }));
    }

    [Theory]
    [InlineData("tenant", 256)]
    [InlineData("model", 256)]
    [InlineData("provider", 64)]
    [InlineData("project", 256)]
    [InlineData("user", 256)]
    [InlineData("feature", 256)]
    [InlineData("deployment", 256)]
    [InlineData("status", 64)]
    [InlineData("error_type", 256)]
    [InlineData("prompt_hash", 256)]
    [InlineData("request_hash", 256)]
    public void String_lengths_are_bounded(string field, int max)
    {
        Assert.Null(Code(WithField(field, new string('a', max))));
        Assert.Equal(field + "_too_long", Code(WithField(field, new string('a', max + 1))));
        Assert.Equal(field + "_invalid", Code(WithField(field, "a\tb")));
    }

    [Fact]
    public void Tenant_and_model_are_required_and_non_empty()
    {
        Assert.Equal("tenant_missing", Code(Valid() with { Tenant = null! }));
        Assert.Equal("tenant_empty", Code(Valid() with { Tenant = " " }));
        Assert.Equal("model_missing", Code(Valid() with { Model = null! }));
        Assert.Equal("model_empty", Code(Valid() with { Model = "" }));
    }

    [Fact]
    public void Latency_is_non_negative_and_fits_the_store()
    {
        Assert.Null(Code(Valid() with { LatencyMs = 0 }));
        Assert.Equal("latency_ms_negative", Code(Valid() with { LatencyMs = -1 }));
        Assert.Equal("latency_ms_too_large", Code(Valid() with { LatencyMs = (long)uint.MaxValue + 1 }));
    }

    [Fact]
    public void Tags_are_bounded_in_count_and_size()
    {
        static Dictionary<string, string> Tags(int n) => Enumerable.Range(0, n).ToDictionary(i => $"k{i}", i => "v");

        Assert.Null(Code(Valid() with { Tags = Tags(64) }));
        Assert.Equal("tags_too_many", Code(Valid() with { Tags = Tags(65) }));
        Assert.Equal("tag_key_invalid", Code(Valid() with { Tags = new Dictionary<string, string> { [""] = "v" } }));
        Assert.Equal("tag_key_invalid", Code(Valid() with { Tags = new Dictionary<string, string> { [new string('k', 129)] = "v" } }));
        Assert.Null(Code(Valid() with { Tags = new Dictionary<string, string> { [new string('k', 128)] = new string('v', 512) } }));
        Assert.Equal("tag_value_too_long", Code(Valid() with { Tags = new Dictionary<string, string> { ["k"] = new string('v', 513) } }));
    }

    [Fact]
    public void Texts_are_bounded()
    {
        Assert.Equal("prompt_text_too_long", Code(Valid() with { PromptText = new string('a', UsageEventLimits.MaxTextLength + 1) }));
    }

    [Fact]
    public void The_first_failing_rule_in_the_documented_order_is_reported()
    {
        var e = Valid() with { EventId = "", Timestamp = default, Tenant = "", InputTokens = -1 };

        Assert.Equal("event_id_empty", Code(e));
        Assert.Equal("timestamp_too_old", Code(e with { EventId = "x" }));
        Assert.Equal("tenant_empty", Code(e with { EventId = "x", Timestamp = UsageEventJson.Now }));
    }

    [Theory]
    [InlineData("0", null)]
    [InlineData("2", null)]
    [InlineData("0.7", null)]
    [InlineData("-0.1", "temperature_negative")]
    [InlineData("2.001", "temperature_too_large")]
    public void Temperature_is_between_0_and_2(string temperature, string? code) =>
        Assert.Equal(code, Code(Valid() with { Temperature = decimal.Parse(temperature, System.Globalization.CultureInfo.InvariantCulture) }));

    private static UsageEvent WithField(string field, string value) => field switch
    {
        "tenant" => Valid() with { Tenant = value },
        "model" => Valid() with { Model = value },
        "provider" => Valid() with { Provider = value },
        "project" => Valid() with { Project = value },
        "user" => Valid() with { User = value },
        "feature" => Valid() with { Feature = value },
        "deployment" => Valid() with { Deployment = value },
        "status" => Valid() with { Status = value },
        "error_type" => Valid() with { ErrorType = value },
        "prompt_hash" => Valid() with { PromptHash = value },
        "request_hash" => Valid() with { RequestHash = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    [Theory]
    [InlineData("x') OR 1=1 --", null, null, "tenant_charset")]
    [InlineData("acme", "a b", null, "project_charset")]
    [InlineData("acme", "chat", "a'b", "feature_charset")]
    [InlineData("acme", "chat", "x\\", "feature_charset")]
    [InlineData("a,b", null, null, "tenant_charset")]
    [InlineData("{all}", null, null, "tenant_charset")]
    [InlineData("-acme", null, null, "tenant_charset")]
    [InlineData("té", "chat-eu.2", "/chat/v1", null)]
    [InlineData("acme:prod@eu", "p_1", "summarise", null)]
    public void Tenant_project_and_feature_names_keep_to_the_name_alphabet(string tenant, string? project, string? feature, string? code) =>
        Assert.Equal(code, Code(Valid() with { Tenant = tenant, Project = project, Feature = feature }));
}
