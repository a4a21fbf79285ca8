using System.Text.Json.Nodes;
using CostOps.Core.Ingestion;
using CostOps.Core.Pricing;

namespace CostOps.Core.Tests.Ingestion;

/// <summary>
/// The units beyond tokens and the tier fields of usage event v1 (images, audio_seconds, video_seconds, characters,
/// web_searches, service_tier, deployment_type): read from the wire, checked, and handed to pricing; all optional.
/// </summary>
public sealed class UsageUnitsParsingTests
{
    private readonly UsageEventParser _parser = UsageEventJson.Parser();

    private UsageEventResult Parse(UsageEventJson json) => Assert.Single(_parser.Parse(json.ToString()));

    private UsageEvent Accepted(UsageEventJson json)
    {
        var result = Parse(json);
        Assert.True(result.IsAccepted, result.ToString());
        return result.Event!;
    }

    private string Rejected(UsageEventJson json)
    {
        var result = Parse(json);
        Assert.False(result.IsAccepted, json.ToString());
        return result.Rejection!.Code;
    }

    [Fact]
    public void Every_unit_is_read_exactly_and_reaches_pricing()
    {
        var e = Accepted(UsageEventJson.Valid()
            .With("images", 3).With("audio_seconds", JsonNode.Parse("93.5")).With("video_seconds", JsonNode.Parse("0.000001"))
            .With("characters", 4321).With("web_searches", 2).With("service_tier", "priority").With("deployment_type", "data_zone"));

        Assert.Equal((3L, 93.5m, 0.000001m, 4321L, 2L, "priority", "data_zone"),
            (e.Images, e.AudioSeconds, e.VideoSeconds, e.Characters, e.WebSearches, e.ServiceTier, e.DeploymentType));
        var usage = e.ToUsage(1200, 300, estimated: false);
        Assert.Equal(new UsageUnits(3, 93.500001m, 4321, 2), usage.Units);
        Assert.Equal(ServiceTier.Priority, usage.ServiceTier);
        Assert.False(usage.Batch);
    }

    [Fact]
    public void An_event_without_the_new_fields_has_none_and_prices_as_before()
    {
        var e = Accepted(UsageEventJson.Valid());

        Assert.Null(e.Images ?? e.Characters ?? e.WebSearches);
        Assert.Null(e.AudioSeconds ?? e.VideoSeconds);
        Assert.Null(e.ServiceTier ?? e.DeploymentType);
        Assert.Equal(new UsageTokens(1200, 300), e.ToUsage(1200, 300, estimated: false));
    }

    [Theory]
    [InlineData("images")]
    [InlineData("audio_seconds")]
    [InlineData("video_seconds")]
    [InlineData("characters")]
    [InlineData("web_searches")]
    [InlineData("service_tier")]
    [InlineData("deployment_type")]
    public void Null_is_the_same_as_absent(string field)
    {
        var e = Accepted(UsageEventJson.Valid().With(field, null));

        Assert.Equal(Accepted(UsageEventJson.Valid()), e);
    }

    [Theory]
    [InlineData("images", "-1", "images_negative")]
    [InlineData("characters", "-10", "characters_negative")]
    [InlineData("web_searches", "-2", "web_searches_negative")]
    [InlineData("audio_seconds", "-0.5", "audio_seconds_negative")]
    [InlineData("video_seconds", "-3", "video_seconds_negative")]
    [InlineData("images", "100001", "images_too_large")]
    [InlineData("characters", "100000001", "characters_too_large")]
    [InlineData("web_searches", "100001", "web_searches_too_large")]
    [InlineData("audio_seconds", "604800.000001", "audio_seconds_too_large")]
    [InlineData("video_seconds", "1e30", "video_seconds_too_large")]
    [InlineData("images", "99999999999999999999999", "images_too_large")]
    [InlineData("images", "1.5", "images_not_integer")]
    [InlineData("audio_seconds", "1.0000001", "audio_seconds_invalid")]
    [InlineData("images", "\"3\"", "images_wrong_type")]
    [InlineData("audio_seconds", "\"12.5\"", "audio_seconds_wrong_type")]
    [InlineData("characters", "true", "characters_wrong_type")]
    [InlineData("web_searches", "[1]", "web_searches_wrong_type")]
    [InlineData("service_tier", "1", "service_tier_wrong_type")]
    [InlineData("service_tier", "\"auto\"", "service_tier_invalid")]
    [InlineData("service_tier", "\"Priority\"", "service_tier_invalid")]
    [InlineData("service_tier", "\"scale\"", "service_tier_invalid")]
    [InlineData("deployment_type", "\"datazone\"", "deployment_type_invalid")]
    [InlineData("deployment_type", "{}", "deployment_type_wrong_type")]
    public void Bad_values_are_rejected_with_the_field_named(string field, string json, string code)
    {
        Assert.Equal(code, Rejected(UsageEventJson.Valid().With(field, JsonNode.Parse(json))));
    }

    [Theory]
    [InlineData("images", "100000")]
    [InlineData("audio_seconds", "604800")]
    [InlineData("video_seconds", "0.000001")]
    [InlineData("characters", "100000000")]
    [InlineData("web_searches", "0")]
    [InlineData("images", "2.0")]
    public void Values_at_the_bounds_are_accepted(string field, string json)
    {
        Accepted(UsageEventJson.Valid().With(field, JsonNode.Parse(json)));
    }

    [Theory]
    [InlineData("default", "default")]
    [InlineData("standard", "default")]
    [InlineData("priority", "priority")]
    [InlineData("flex", "flex")]
    [InlineData("batch", "batch")]
    public void Service_tiers_are_stored_by_their_canonical_name(string sent, string stored)
    {
        Assert.Equal(stored, Accepted(UsageEventJson.Valid().With("service_tier", sent)).ServiceTier);
    }

    [Fact]
    public void Service_tier_batch_prices_as_a_batch_call_and_flex_as_flex()
    {
        var batch = Accepted(UsageEventJson.Valid().With("service_tier", "batch")).ToUsage(1, 1, false);
        var flex = Accepted(UsageEventJson.Valid().With("service_tier", "flex")).ToUsage(1, 1, false);

        Assert.Equal((true, ServiceTier.Standard), (batch.Batch, batch.ServiceTier));
        Assert.Equal((false, ServiceTier.Flex), (flex.Batch, flex.ServiceTier));
    }

    [Theory]
    [InlineData(true, "priority", "service_tier_conflict")]
    [InlineData(true, "flex", "service_tier_conflict")]
    [InlineData(false, "batch", "service_tier_conflict")]
    [InlineData(true, "batch", null)]
    [InlineData(true, "default", null)]
    [InlineData(false, "priority", null)]
    public void Batch_and_service_tier_must_agree(bool batch, string tier, string? code)
    {
        var json = UsageEventJson.Valid().With("batch", batch).With("service_tier", tier);

        Assert.Equal(code, Parse(json).Rejection?.Code);
    }

    [Fact]
    public void A_repeated_unit_is_ambiguous()
    {
        var text = UsageEventJson.Valid().ToString().TrimEnd('}') + ",\"images\":1,\"images\":2}";

        Assert.Equal(RejectCodes.DuplicateProperty, Assert.Single(_parser.Parse(text)).Rejection!.Code);
    }

    [Fact]
    public void The_validator_applies_the_same_rules_to_a_typed_event()
    {
        var validator = new UsageEventValidator(UsageEventJson.Clock());
        var valid = Accepted(UsageEventJson.Valid());

        Assert.Null(validator.Validate(valid with { Images = 2, AudioSeconds = 1.5m, ServiceTier = "flex", DeploymentType = "regional" }));
        Assert.Equal("images_negative", validator.Validate(valid with { Images = -1 })!.Code);
        Assert.Equal("video_seconds_invalid", validator.Validate(valid with { VideoSeconds = 0.0000001m })!.Code);
        Assert.Equal("characters_too_large", validator.Validate(valid with { Characters = UsageEventLimits.MaxCharacters + 1 })!.Code);
        Assert.Equal("service_tier_invalid", validator.Validate(valid with { ServiceTier = "standard" })!.Code);
        Assert.Equal("deployment_type_invalid", validator.Validate(valid with { DeploymentType = "Global" })!.Code);
    }

    [Fact]
    public void Reading_the_units_allocates_nothing_beyond_the_event_itself()
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(UsageEventJson.Valid().ToString());
        var withUnits = System.Text.Encoding.UTF8.GetBytes(UsageEventJson.Valid()
            .With("images", 3).With("audio_seconds", JsonNode.Parse("93.5")).With("video_seconds", 2).With("characters", 4321)
            .With("web_searches", 2).With("service_tier", "priority").With("deployment_type", "data_zone").ToString());
        var results = new List<UsageEventResult>();
        long Allocated(byte[] payload)
        {
            results.Clear();
            _parser.Parse(payload, results); // warm: interned names, JIT
            results.Clear();
            var before = GC.GetAllocatedBytesForCurrentThread();
            _parser.Parse(payload, results);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var plainBytes = Allocated(plain);
        var unitBytes = Allocated(withUnits);

        Assert.True(results[0].IsAccepted);
        Assert.Equal(plainBytes, unitBytes);
    }
}
