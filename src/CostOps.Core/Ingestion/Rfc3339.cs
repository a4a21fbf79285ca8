namespace CostOps.Core.Ingestion;

/// <summary>
/// Strict RFC 3339 date-time parsing straight from UTF-8. Hand-written because the general parsers either accept
/// times without an offset (and then guess the local zone) or cost far more than the rest of an event.
/// </summary>
internal static class Rfc3339
{
    /// <summary>
    /// Parses <c>YYYY-MM-DD(T|t| )hh:mm:ss[.fraction](Z|z|±hh:mm)</c> into a UTC <see cref="DateTimeOffset"/>.
    /// Fractions beyond 100 ns are truncated; a leap second (<c>:60</c>) is refused.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 20)
            return false;
        if (!TryDigits(s, 0, 4, out int year) || s[4] != '-' || !TryDigits(s, 5, 2, out int month) || s[7] != '-'
            || !TryDigits(s, 8, 2, out int day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
            || !TryDigits(s, 11, 2, out int hour) || s[13] != ':' || !TryDigits(s, 14, 2, out int minute) || s[16] != ':'
            || !TryDigits(s, 17, 2, out int second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
            return false;

        int i = 19;
        long fractionTicks = 0;
        if (s[i] == '.')
        {
            i++;
            int digits = 0;
            long scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                if (digits < 7)
                {
                    scale /= 10;
                    fractionTicks += (s[i] - '0') * scale;
                }
                digits++;
                i++;
            }
            if (digits == 0)
                return false;
        }
        if (i >= s.Length)
            return false;

        TimeSpan offset;
        if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.Length)
        {
            offset = TimeSpan.Zero;
        }
        else if ((s[i] == '+' || s[i] == '-') && i + 6 == s.Length && s[i + 3] == ':'
                 && TryDigits(s, i + 1, 2, out int offHours) && TryDigits(s, i + 4, 2, out int offMinutes)
                 && offHours <= 23 && offMinutes <= 59)
        {
            offset = new TimeSpan(offHours, offMinutes, 0);
            if (s[i] == '-')
                offset = -offset;
        }
        else
        {
            return false;
        }

        long ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fractionTicks - offset.Ticks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            return false;
        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9)
                return false;
            value = value * 10 + (int)d;
        }
        return true;
    }
}
