using System.Text;
using CostOps.Core.Ingestion;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Core.Tests.Ingestion;

/// <summary>Inputs a producer (or an attacker) can send that once threw or were misread: each is one reject with a code, and its neighbours land.</summary>
public sealed class HostileInputTests
{
    private readonly UsageEventParser _parser = UsageEventJson.Parser();

    private static string Good(string id) => UsageEventJson.Valid(id).ToString();

    private static string Bad(string members) => Good("bad")[..^1] + "," + members + "}";

    [Theory]
    [InlineData("\"tags\":{\"label\":\"\\ud83d\"}", "tag_value_invalid")]
    [InlineData("\"tags\":{\"\\ud83d\":\"x\"}", "tag_key_invalid")]
    [InlineData("\"user\":\"cut emoji \\ud83d\"", "user_invalid")]
    [InlineData("\"tags\":{\"a\":\"\\udc00\\ud83d\"}", "tag_value_invalid")]
    public void A_lone_surrogate_escape_is_refused_and_the_neighbours_land(string members, string code)
    {
        var results = _parser.Parse($"{Good("before")}\n{Bad(members)}\n{Good("after")}");

        Assert.Equal(["before", null, "after"], results.Select(r => r.Event?.EventId));
        Assert.Equal(code, results[1].Rejection!.Code);
        Assert.Equal("bad", results[1].Rejection!.EventId);
    }

    [Fact]
    public void A_lone_surrogate_in_a_json_array_element_rejects_only_that_element()
    {
        var results = _parser.Parse($"[{Good("before")},{Bad("\"tags\":{\"t\":\"\\ud83d\"}")},{Good("after")}]");

        Assert.Equal(["before", null, "after"], results.Select(r => r.Event?.EventId));
        Assert.Equal("tag_value_invalid", results[1].Rejection!.Code);
    }

    [Fact]
    public void A_cloudevent_whose_attributes_do_not_decode_is_refused()
    {
        var envelope = """{"specversion":"1.0","id":"\ud83d","source":"/s","type":"t","data":{"tenant":"a","model":"m","input_tokens":1,"output_tokens":1,"timestamp":"2025-06-01T11:00:00Z"}}""";

        var results = _parser.Parse($"{Good("before")}\n{envelope}\n{Good("after")}");

        Assert.Equal("cloudevent_invalid", results[1].Rejection!.Code);
        Assert.Equal("after", results[2].Event!.EventId);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0xBD })] // a surrogate encoded as UTF-8 (CESU-8): not valid UTF-8
    [InlineData(new byte[] { 0xC0, 0x80 })]
    public void Invalid_utf8_in_a_tag_is_refused_not_replaced(byte[] bytes)
    {
        var line = Encoding.UTF8.GetBytes(Bad("\"tags\":{\"k\":\"x\"}"));
        int at = Encoding.UTF8.GetBytes(Bad("\"tags\":{\"k\":\"")).Length;
        byte[] payload = [.. Encoding.UTF8.GetBytes(Good("before") + "\n"), .. line[..at], .. bytes, .. line[at..], .. "\n"u8, .. Encoding.UTF8.GetBytes(Good("after"))];

        var results = _parser.Parse(payload);

        Assert.Equal("tag_value_invalid", results[1].Rejection!.Code);
        Assert.Equal("after", results[2].Event!.EventId);
    }

    [Theory]
    [InlineData("\"input_tokens\":1000")]
    [InlineData("\"input_token\\u0073\":1000")] // the same name, escaped
    [InlineData("\"tags\":{\"a\":\"1\"},\"tags\":{\"a\":\"2\"}")]
    [InlineData("\"tags\":{\"cost_center\":\"a\",\"cost_center\":\"b\"}")]
    public void A_property_given_twice_is_refused_as_ambiguous(string members)
    {
        var json = $$"""{"event_id":"twice","timestamp":"2025-06-01T11:00:00Z","tenant":"acme","model":"gpt-4o","input_tokens":1000000,"output_tokens":5,{{members}}}""";

        var rejection = Assert.Single(_parser.Parse(json)).Rejection;

        Assert.Equal("duplicate_property", rejection?.Code);
        Assert.Equal("twice", rejection!.EventId);
    }

    [Fact]
    public void A_property_given_twice_inside_usage_is_refused()
    {
        var json = """{"event_id":"u","timestamp":"2025-06-01T11:00:00Z","tenant":"acme","model":"gpt-4o","usage":{"prompt_tokens":9000,"completion_tokens":5,"prompt_tokens":9}}""";

        Assert.Equal("duplicate_property", Assert.Single(_parser.Parse(json)).Rejection?.Code);
    }

    [Fact]
    public void Unknown_members_may_repeat_and_envelope_names_inside_data_are_unknown()
    {
        var json = """{"specversion":"1.0","id":"ce","source":"/s","type":"t","data":{"id":"x","id":"y","note":1,"note":2,"tenant":"a","model":"m","input_tokens":1,"output_tokens":1,"timestamp":"2025-06-01T11:00:00Z"}}""";

        Assert.True(Assert.Single(_parser.Parse(json)).IsAccepted);
    }

    [Fact]
    public void A_repeated_cloudevent_attribute_is_refused()
    {
        var json = """{"specversion":"1.0","id":"ce","id":"ce2","source":"/s","type":"t","data":{"tenant":"a","model":"m","input_tokens":1,"output_tokens":1,"timestamp":"2025-06-01T11:00:00Z"}}""";

        Assert.Equal("duplicate_property", Assert.Single(_parser.Parse(json)).Rejection?.Code);
    }

    [Fact]
    public void A_numeric_tag_value_is_bounded_like_a_string()
    {
        var results = _parser.Parse(Bad($"\"tags\":{{\"n\":1{new string('0', UsageEventLimits.MaxTagValueLength)}}}"));

        Assert.Equal("tag_value_too_long", Assert.Single(results).Rejection?.Code);
    }

    [Fact]
    public void Timestamps_outside_the_accept_window_have_their_own_codes()
    {
        var now = new DateTimeOffset(2027, 3, 1, 0, 20, 0, TimeSpan.Zero);
        var parser = new UsageEventParser(new UsageEventValidator(new FakeTimeProvider(now), TimeSpan.FromDays(30)));
        string At(string id, DateTimeOffset t) => UsageEventJson.Valid(id).With("timestamp", t.ToString("O")).ToString();

        var results = parser.Parse(string.Join('\n',
            At("inside", now.AddDays(-29)), At("before", now.AddDays(-31)), At("ahead", now.AddDays(2)), At("ancient", new DateTimeOffset(1999, 1, 1, 0, 0, 0, TimeSpan.Zero))));

        Assert.Equal([null, "timestamp_before_window", "timestamp_in_future", "timestamp_too_old"], results.Select(r => r.Rejection?.Code));
    }

    [Fact]
    public void The_default_accept_window_reaches_400_days_back()
    {
        var now = UsageEventJson.Now;
        string At(string id, DateTimeOffset t) => UsageEventJson.Valid(id).With("timestamp", t.ToString("O")).ToString();

        var results = _parser.Parse(At("in", now.AddDays(-399)) + "\n" + At("out", now.AddDays(-401)));

        Assert.Equal([null, "timestamp_before_window"], results.Select(r => r.Rejection?.Code));
    }
}
