using System.Text;
using CostOps.Core.Ingestion;

namespace CostOps.Core.Tests.Ingestion;

public sealed class UsageEventParserFormatTests
{
    private readonly UsageEventParser _parser = UsageEventJson.Parser();

    [Fact]
    public void Single_object_yields_one_accepted_event_with_every_field()
    {
        var json = """
            {"event_id":"e1","timestamp":"2025-06-01T10:00:00+02:00","tenant":"acme","model":"gpt-4o","provider":"openai",
             "project":"search","user":"u-7","feature":"summarise","deployment":"gpt4o-prod","input_tokens":1000,
             "output_tokens":200,"cached_input_tokens":600,"cache_write_tokens":100,"reasoning_tokens":50,"batch":true,
             "latency_ms":812.6,"status":"error","error_type":"timeout","prompt_hash":"ab12","request_hash":"sha256:9f86","temperature":0.70,"tags":{"env":"prod","shard":3,"beta":false},
             "interactive":false,"prompt_text":"hi","completion_text":"hello","unknown_field":{"x":[1,2]}}
            """;
        var results = new List<UsageEventResult>();

        var format = _parser.Parse(Encoding.UTF8.GetBytes(json), results);

        Assert.Equal(PayloadFormat.Single, format);
        var e = Assert.Single(results).Event!;
        Assert.Equal("e1", e.EventId);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero), e.Timestamp);
        Assert.Equal(TimeSpan.Zero, e.Timestamp.Offset);
        Assert.Equal(("acme", "gpt-4o", "openai", "search", "u-7", "summarise", "gpt4o-prod"),
            (e.Tenant, e.Model, e.Provider, e.Project, e.User, e.Feature, e.Deployment));
        Assert.Equal((1000L, 200L, 600L, 100L, 50L), (e.InputTokens, e.OutputTokens, e.CachedInputTokens, e.CacheWriteTokens, e.ReasoningTokens));
        Assert.Equal((true, 813L, "error", "timeout", "ab12", false), (e.Batch, e.LatencyMs, e.Status, e.ErrorType, e.PromptHash, e.Interactive));
        Assert.Equal(("hi", "hello"), (e.PromptText, e.CompletionText));
        Assert.Equal(("sha256:9f86", 0.7m), (e.RequestHash, e.Temperature));
        Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["shard"] = "3", ["beta"] = "false" }, e.Tags);
    }

    [Theory]
    [InlineData("\"0.5\"", "temperature_wrong_type")]
    [InlineData("-1", "temperature_negative")]
    [InlineData("3", "temperature_too_large")]
    [InlineData("1e400", "temperature_too_large")]
    public void A_temperature_that_is_not_a_number_from_0_to_2_is_rejected_by_name(string temperature, string code)
    {
        var json = $$"""{"event_id":"e1","timestamp":"2025-06-01T10:00:00Z","tenant":"acme","model":"m","input_tokens":1,"output_tokens":2,"temperature":{{temperature}}}""";
        var result = Assert.Single(_parser.Parse(json));
        Assert.Equal(code, result.Rejection?.Code);
    }

    [Fact]
    public void Pretty_printed_single_object_is_one_event_not_ndjson()
    {
        var json = "{\n  \"event_id\": \"e1\",\n  \"timestamp\": \"2025-06-01T10:00:00Z\",\n  \"tenant\": \"acme\",\n  \"model\": \"m\",\n  \"input_tokens\": 1,\n  \"output_tokens\": 2\n}\n";

        var result = Assert.Single(_parser.Parse(json));

        Assert.True(result.IsAccepted, result.ToString());
    }

    [Fact]
    public void Json_array_yields_one_result_per_element_in_order()
    {
        var json = $"[{UsageEventJson.Valid("a")}, {UsageEventJson.Valid("b").With("input_tokens", -1)}, 42, {UsageEventJson.Valid("c")}]";
        var results = new List<UsageEventResult>();

        var format = _parser.Parse(Encoding.UTF8.GetBytes(json), results);

        Assert.Equal(PayloadFormat.Array, format);
        Assert.Equal([0, 1, 2, 3], results.Select(r => r.Index));
        Assert.Equal("a", results[0].Event!.EventId);
        Assert.Equal("input_tokens_negative", results[1].Rejection!.Code);
        Assert.Equal("b", results[1].Rejection!.EventId);
        Assert.Equal("event_not_object", results[2].Rejection!.Code);
        Assert.Equal("42", results[2].Rejection!.Raw);
        Assert.Equal("c", results[3].Event!.EventId);
    }

    [Fact]
    public void Empty_array_yields_no_results()
    {
        Assert.Empty(_parser.Parse("  [ ]  "));
    }

    [Fact]
    public void Ndjson_rejects_only_the_malformed_line()
    {
        var ndjson = string.Join("\r\n",
            UsageEventJson.Valid("a").ToString(),
            "{\"event_id\": \"b\", \"tenant\": ",
            "",
            "   ",
            UsageEventJson.Valid("c").ToString(),
            "not json at all",
            UsageEventJson.Valid("d").ToString()) + "\n";
        var results = new List<UsageEventResult>();

        var format = _parser.Parse(Encoding.UTF8.GetBytes(ndjson), results);

        Assert.Equal(PayloadFormat.Ndjson, format);
        Assert.Equal(5, results.Count);
        Assert.Equal(["a", "c", "d"], results.Where(r => r.IsAccepted).Select(r => r.Event!.EventId));
        Assert.Equal("event_malformed_json", results[1].Rejection!.Code);
        Assert.Equal("{\"event_id\": \"b\", \"tenant\":", results[1].Rejection!.Raw);
        Assert.Equal("event_malformed_json", results[3].Rejection!.Code);
        Assert.Equal([0, 1, 2, 3, 4], results.Select(r => r.Index));
    }

    [Fact]
    public void Ndjson_whose_first_line_is_malformed_still_reads_the_rest()
    {
        var ndjson = "{\"event_id\": \"a\",\n" + UsageEventJson.Valid("b") + "\n";

        var results = _parser.Parse(ndjson);

        Assert.Equal(2, results.Count);
        Assert.Equal("event_malformed_json", results[0].Rejection!.Code);
        Assert.Equal("b", results[1].Event!.EventId);
    }

    [Fact]
    public void Ndjson_line_with_trailing_garbage_is_rejected()
    {
        var ndjson = UsageEventJson.Valid("a") + "\n" + UsageEventJson.Valid("b") + " x\n";

        var results = _parser.Parse(ndjson);

        Assert.True(results[0].IsAccepted);
        Assert.Equal("event_malformed_json", results[1].Rejection!.Code);
    }

    [Fact]
    public void Cloudevent_envelope_carries_the_event_in_data()
    {
        var json = $$"""
            {"specversion":"1.0","type":"dev.costops.usage.v1","source":"/gateways/eu-1","id":"ce-1",
             "time":"2025-06-01T11:00:00Z","datacontenttype":"application/json","data":{{UsageEventJson.Valid("e1")}}}
            """;

        var e = Assert.Single(_parser.Parse(json)).Event!;

        Assert.Equal("e1", e.EventId);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 11, 59, 0, 123, TimeSpan.Zero), e.Timestamp);
    }

    [Fact]
    public void Cloudevent_id_and_time_fill_in_when_data_leaves_them_out()
    {
        var data = UsageEventJson.Valid().Without("event_id").Without("timestamp");
        var json = $$"""{"data":{{data}},"specversion":"1.0","type":"t","source":"s","id":"ce-9","time":"2025-06-01T11:00:00Z"}""";

        var e = Assert.Single(_parser.Parse(json)).Event!;

        Assert.Equal("ce-9", e.EventId);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 11, 0, 0, TimeSpan.Zero), e.Timestamp);
    }

    [Fact]
    public void Cloudevents_batch_is_an_array_of_envelopes()
    {
        string Envelope(string id, object data) => $$"""{"specversion":"1.0","type":"t","source":"s","id":"{{id}}","data":{{data}}}""";
        var json = "[" + string.Join(",",
            Envelope("1", UsageEventJson.Valid("a")),
            Envelope("2", UsageEventJson.Valid("b").With("output_tokens", "12")),
            Envelope("3", "\"text\"")) + "]";

        var results = _parser.Parse(json);

        Assert.Equal("a", results[0].Event!.EventId);
        Assert.Equal("output_tokens_wrong_type", results[1].Rejection!.Code);
        Assert.Equal("cloudevent_data_invalid", results[2].Rejection!.Code);
        Assert.Equal("3", results[2].Rejection!.EventId);
    }

    [Fact]
    public void Cloudevent_with_data_base64_is_decoded()
    {
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(UsageEventJson.Valid("b64").ToString()));
        var json = $$"""{"specversion":"1.0","type":"t","source":"s","id":"x","datacontenttype":"application/cloudevents+json","data_base64":"{{data}}"}""";

        Assert.Equal("b64", Assert.Single(_parser.Parse(json)).Event!.EventId);
    }

    [Theory]
    [InlineData("""{"specversion":"0.3","type":"t","source":"s","id":"x","data":{}}""", "cloudevent_invalid")]
    [InlineData("""{"specversion":"1.0","type":"t","id":"x","data":{}}""", "cloudevent_invalid")]
    [InlineData("""{"specversion":"1.0","type":"t","source":"s","id":"x","time":"yesterday","data":{}}""", "cloudevent_invalid")]
    [InlineData("""{"specversion":"1.0","type":"t","source":"s","id":"x"}""", "cloudevent_data_invalid")]
    [InlineData("""{"specversion":"1.0","type":"t","source":"s","id":"x","datacontenttype":"text/plain","data":{}}""", "cloudevent_data_invalid")]
    [InlineData("""{"specversion":"1.0","type":"t","source":"s","id":"x","data_base64":"!!"}""", "cloudevent_data_invalid")]
    public void Invalid_cloudevent_envelopes_are_rejected(string json, string code)
    {
        Assert.Equal(code, Assert.Single(_parser.Parse(json)).Rejection!.Code);
    }

    [Theory]
    [InlineData("", "payload_empty")]
    [InlineData(" \r\n\t ", "payload_empty")]
    [InlineData("hello world", "payload_not_json")]
    [InlineData("<usage><event/></usage>", "payload_not_json")]
    [InlineData("42", "payload_not_json")]
    [InlineData("\"a string\"", "payload_not_json")]
    [InlineData("[{\"event_id\":\"a\"},", "payload_malformed_json")]
    [InlineData("[1, 2] trailing", "payload_malformed_json")]
    [InlineData("{\"event_id\": \"a\"} {\"event_id\": \"b\"}", "payload_malformed_json")]
    [InlineData("{\n  \"event_id\": \"a\",\n  \"tenant\": acme\n}", "payload_malformed_json")]
    [InlineData("{\"event_id\": ", "payload_malformed_json")]
    public void Payloads_that_are_not_json_usage_are_rejected_as_a_whole(string payload, string code)
    {
        var results = new List<UsageEventResult>();

        var format = _parser.Parse(Encoding.UTF8.GetBytes(payload), results);

        Assert.Equal(PayloadFormat.Invalid, format);
        var rejection = Assert.Single(results).Rejection!;
        Assert.Equal(code, rejection.Code);
        Assert.StartsWith(code + ": ", rejection.Reason);
    }

    [Fact]
    public void Binary_payload_is_rejected_with_its_first_byte()
    {
        var rejection = Assert.Single(_parser.Parse(new byte[] { 0x1F, 0x8B, 0x08, 0x00 })).Rejection!;

        Assert.Equal("payload_not_json", rejection.Code);
        Assert.Contains("0x1F", rejection.Message);
    }

    [Fact]
    public void Utf8_byte_order_mark_is_ignored()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(UsageEventJson.Valid().ToString())).ToArray();

        Assert.True(Assert.Single(_parser.Parse(bytes)).IsAccepted);
    }

    [Fact]
    public void A_malformed_array_drops_the_events_read_before_the_error()
    {
        var json = $"[{UsageEventJson.Valid("a")}, {{\"event_id\": }}]";

        var rejection = Assert.Single(_parser.Parse(json)).Rejection!;

        Assert.Equal("payload_malformed_json", rejection.Code);
        Assert.Contains("line 1", rejection.Message);
    }

    [Fact]
    public void Reject_raw_text_is_bounded_and_cut_on_a_character_boundary()
    {
        var json = UsageEventJson.Valid().With("input_tokens", -1).With("filler", new string('é', 5000)).ToString();

        var rejection = Assert.Single(_parser.Parse(json)).Rejection!;

        Assert.True(rejection.RawTruncated);
        Assert.True(Encoding.UTF8.GetByteCount(rejection.Raw) <= UsageEventLimits.MaxRawBytes);
        Assert.DoesNotContain('\uFFFD', rejection.Raw);
        Assert.StartsWith("{\"event_id\":\"evt-1\"", rejection.Raw);
    }

    [Fact]
    public void Escaped_property_names_and_values_are_understood()
    {
        var json = """{"event\u005Fid":"e\u0031","timestamp":"2025-06-01T10:00:00\u005A","tenant":"t\u00E9","model":"m","input_tokens":1,"output_tokens":1,"tags":{"k\u0031":"v\n"}}""";

        var e = Assert.Single(_parser.Parse(json)).Event!;

        Assert.Equal(("e1", "té"), (e.EventId, e.Tenant));
        Assert.Equal("v\n", e.Tags!["k1"]);
    }

    [Fact]
    public void Route_is_an_alias_of_feature_and_feature_wins()
    {
        var routeOnly = _parser.Parse(UsageEventJson.Valid().With("route", "/chat").ToString());
        var both = _parser.Parse(UsageEventJson.Valid().With("route", "/chat").With("feature", "chat").ToString());

        Assert.Equal("/chat", Assert.Single(routeOnly).Event!.Feature);
        Assert.Equal("chat", Assert.Single(both).Event!.Feature);
    }

    [Fact]
    public void Low_cardinality_strings_are_shared_between_events()
    {
        var results = _parser.Parse($"[{UsageEventJson.Valid("a")},{UsageEventJson.Valid("b")}]");

        Assert.Same(results[0].Event!.Tenant, results[1].Event!.Tenant);
        Assert.Same(results[0].Event!.Model, results[1].Event!.Model);
    }

    [Fact]
    public void Results_append_to_a_reused_list()
    {
        var results = new List<UsageEventResult>();

        _parser.Parse(Encoding.UTF8.GetBytes(UsageEventJson.Valid("a").ToString()), results);
        _parser.Parse(Encoding.UTF8.GetBytes(UsageEventJson.Valid("b").ToString()), results);

        Assert.Equal(["a", "b"], results.Select(r => r.Event!.EventId));
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_rejected_by_field()
    {
        var json = Encoding.UTF8.GetBytes(UsageEventJson.Valid().With("tenant", "TENANT").ToString());
        var at = Encoding.UTF8.GetString(json).IndexOf("TENANT", StringComparison.Ordinal);
        json[at] = 0xC3;
        json[at + 1] = 0x28;

        var result = Assert.Single(_parser.Parse(json));

        Assert.False(result.IsAccepted);
        Assert.Equal("tenant_invalid", result.Rejection!.Code);
    }

    [Fact]
    public void Tags_keep_their_order_and_answer_lookups()
    {
        var json = """{"event_id":"e","timestamp":"2025-06-01T10:00:00Z","tenant":"t","model":"m","input_tokens":1,"output_tokens":1,"tags":{"a":"3","b":"2"}}""";

        var tags = Assert.Single(_parser.Parse(json)).Event!.Tags!;

        Assert.Equal([new("a", "3"), new KeyValuePair<string, string>("b", "2")], tags);
        Assert.True(tags.TryGetValue("b", out var b) && b == "2");
        Assert.False(tags.ContainsKey("c"));
    }
}
