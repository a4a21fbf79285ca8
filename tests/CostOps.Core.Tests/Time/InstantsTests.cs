using CostOps.Core.Time;

namespace CostOps.Core.Tests.Time;

public sealed class InstantsTests
{
    [Theory]
    [InlineData("2026-11-01", "2026-11-01T00:00:00.0000000+00:00")]
    [InlineData("2026-11-01T12:30", "2026-11-01T12:30:00.0000000+00:00")]
    [InlineData("2026-11-01 12:30:15", "2026-11-01T12:30:15.0000000+00:00")]
    [InlineData("2026-11-01T12:30:15Z", "2026-11-01T12:30:15.0000000+00:00")]
    [InlineData("2026-11-01T12:30:15.25Z", "2026-11-01T12:30:15.2500000+00:00")]
    [InlineData("2026-11-01T12:30:15+02:00", "2026-11-01T10:30:15.0000000+00:00")]
    [InlineData(" 2027-03-01T00:20:00Z ", "2027-03-01T00:20:00.0000000+00:00")]
    public void Iso_8601_dates_and_instants_parse_to_UTC(string text, string expected)
    {
        Assert.True(Instants.TryParse(text, out var instant));
        Assert.Equal(expected, instant.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.Zero, instant.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("11/01/2026")] // month-first or day-first: ambiguous, refused
    [InlineData("Nov 1 2026")]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("2026-11-01T25:00")]
    [InlineData("yesterday")]
    public void Anything_else_is_refused(string? text) => Assert.False(Instants.TryParse(text, out _));
}
