using System.Globalization;
using System.Text;

namespace CostOps.Infrastructure.ClickHouse;

/// <summary>
/// Renders a parameter value in the text form ClickHouse parses for <c>{name:Type}</c> placeholders
/// (the same form the HTTP interface takes in <c>param_name=</c>). Money stays decimal: no double on the way.
/// A top-level value is read in ClickHouse's escaped (TSV) form, so backslashes, tabs and line breaks are escaped;
/// strings inside arrays are single-quoted literals.
/// </summary>
public static class ParameterFormatter
{
    public static string Format(object? value) => value switch
    {
        null => "\\N",
        Http.EscapedParameter escaped => escaped.Text,
        string s => EscapeTopLevel(s),
        bool b => b ? "true" : "false",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset dto => FormatInstant(dto.UtcDateTime),
        DateTime dt => FormatInstant(ToUtc(dt)),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Guid g => g.ToString(),
        IFormattable f when IsInteger(value) => f.ToString(null, CultureInfo.InvariantCulture),
        double or float => throw new ArgumentException("Floating-point parameters are not accepted; use decimal."),
        System.Collections.IEnumerable items => FormatArray(items),
        _ => throw new ArgumentException($"Unsupported parameter type {value.GetType().Name}."),
    };

    /// <summary>One pass and one allocation: a value may be megabytes of TSV rows (<see cref="TsvRowChunks"/>).</summary>
    private static string EscapeTopLevel(string s)
    {
        var special = s.AsSpan().Count('\\') + s.AsSpan().Count('\t') + s.AsSpan().Count('\n') + s.AsSpan().Count('\r') + s.AsSpan().Count('\0');
        if (special == 0) return s;
        return string.Create(s.Length + special, s, static (destination, source) =>
        {
            var j = 0;
            foreach (var c in source)
            {
                var escaped = c switch { '\\' => '\\', '\t' => 't', '\n' => 'n', '\r' => 'r', '\0' => '0', _ => '\uffff' };
                if (escaped == '\uffff')
                {
                    destination[j++] = c;
                }
                else
                {
                    destination[j++] = '\\';
                    destination[j++] = escaped;
                }
            }
        });
    }

    private static string QuoteInArray(string s) =>
        "'" + s.Replace("\\", "\\\\").Replace("'", "\\'").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\0", "\\0") + "'";

    private static bool IsInteger(object value) =>
        value is sbyte or byte or short or ushort or int or uint or long or ulong;

    // Whole seconds without a fraction, so the same text suits DateTime and DateTime64 placeholders.
    private static string FormatInstant(DateTime utc) => utc.Ticks % TimeSpan.TicksPerSecond == 0
        ? utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : utc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');

    private static DateTime ToUtc(DateTime dt) => dt.Kind switch
    {
        DateTimeKind.Local => dt.ToUniversalTime(),
        _ => dt,
    };

    private static string FormatArray(System.Collections.IEnumerable items)
    {
        var sb = new StringBuilder("[");
        var first = true;
        foreach (var item in items)
        {
            if (!first) sb.Append(',');
            first = false;
            if (item is string s)
            {
                sb.Append(QuoteInArray(s));
            }
            else
            {
                var text = Format(item);
                sb.Append(item is DateTime or DateTimeOffset or DateOnly or Guid ? $"'{text}'" : text);
            }
        }
        return sb.Append(']').ToString();
    }
}
