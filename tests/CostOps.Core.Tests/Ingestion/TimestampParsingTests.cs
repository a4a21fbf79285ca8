using CostOps.Core.Ingestion;

namespace CostOps.Core.Tests.Ingestion;

public sealed class TimestampParsingTests
{
    // Parsing, not the accept window, is under test here: a window wide enough for the leap day of 2024.
    private readonly UsageEventParser _parser = new(new UsageEventValidator(UsageEventJson.Clock(), TimeSpan.FromDays(3650)));

    private UsageEventResult ParseWith(string timestamp) =>
        Assert.Single(_parser.Parse(UsageEventJson.Valid().With("timestamp", timestamp).ToString()));

    [Theory]
    [InlineData("2025-06-01T10:00:00Z", "2025-06-01T10:00:00.0000000Z")]
    [InlineData("2025-06-01t10:00:00z", "2025-06-01T10:00:00.0000000Z")]
    [InlineData("2025-06-01 10:00:00Z", "2025-06-01T10:00:00.0000000Z")]
    [InlineData("2025-06-01T12:30:00+02:30", "2025-06-01T10:00:00.0000000Z")]
    [InlineData("2025-06-01T05:00:00-05:00", "2025-06-01T10:00:00.0000000Z")]
    [InlineData("2025-06-01T10:00:00.1Z", "2025-06-01T10:00:00.1000000Z")]
    [InlineData("2025-06-01T10:00:00.123456789Z", "2025-06-01T10:00:00.1234567Z")]
    [InlineData("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000Z")]
    public void Rfc3339_timestamps_are_read_as_utc(string timestamp, string expectedUtc)
    {
        var e = ParseWith(timestamp).Event!;

        Assert.Equal(expectedUtc, e.Timestamp.UtcDateTime.ToString("O"));
        Assert.Equal(TimeSpan.Zero, e.Timestamp.Offset);
    }

    [Theory]
    [InlineData("2025-06-01T10:00:00")]
    [InlineData("2025-06-01")]
    [InlineData("2025-06-01T10:00Z")]
    [InlineData("2025-02-29T00:00:00Z")]
    [InlineData("2025-06-01T24:00:00Z")]
    [InlineData("2025-06-30T23:59:60Z")]
    [InlineData("2025-06-01T10:00:00.Z")]
    [InlineData("2025-06-01T10:00:00+0200")]
    [InlineData("2025-06-01T10:00:00Z ")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void Anything_else_is_timestamp_invalid(string timestamp)
    {
        Assert.Equal("timestamp_invalid", ParseWith(timestamp).Rejection!.Code);
    }

    [Fact]
    public void Epoch_numbers_are_a_wrong_type_not_a_guess_between_seconds_and_milliseconds()
    {
        var result = Assert.Single(_parser.Parse(UsageEventJson.Valid().With("timestamp", 1748772000).ToString()));

        Assert.Equal("timestamp_wrong_type", result.Rejection!.Code);
    }
}
