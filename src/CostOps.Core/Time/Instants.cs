using System.Globalization;

namespace CostOps.Core.Time;

/// <summary>
/// The one parser for instants a person types (CLI options, API query parameters, <c>COSTOPS_NOW</c>): ISO 8601 only,
/// a date (midnight UTC) or a date and time to the minute, second or fraction, with <c>T</c> or a space, and an offset
/// (<c>Z</c>, <c>+01:00</c>) or none (UTC). The general parser also took <c>11/01/2026</c> as the 1st of November, which
/// a reader of day-first dates meant as the 11th of January: such text is refused, with <see cref="Expected"/>.
/// </summary>
public static class Instants
{
    /// <summary>What the text should have been, for error messages.</summary>
    public const string Expected = "an ISO 8601 date or instant, e.g. 2026-11-01 or 2026-11-01T12:00:00Z";

    private static readonly string[] Formats = BuildFormats();

    /// <summary>Parses <paramref name="text"/> into a UTC instant; false for anything but the forms above.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return text is not null
            && DateTimeOffset.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }

    private static string[] BuildFormats()
    {
        var formats = new List<string> { "yyyy-MM-dd" };
        foreach (var separator in new[] { "'T'", "' '" })
        {
            foreach (var time in new[] { "HH:mm", "HH:mm:ss", "HH:mm:ss.FFFFFFF" })
            {
                formats.Add($"yyyy-MM-dd{separator}{time}");
                formats.Add($"yyyy-MM-dd{separator}{time}zzz");
                formats.Add($"yyyy-MM-dd{separator}{time}'Z'");
            }
        }
        return [.. formats];
    }
}
