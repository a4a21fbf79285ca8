using System.Globalization;
using System.Text;

namespace CostOps.Infrastructure.ClickHouse;

/// <summary>
/// Renders a parameter value in the text form ClickHouse parses for <c>{name:Type}</c> placeholders
/// (the same form the HTTP interface takes in <c>param_name=</c>). Money stays decimal: no double on the way.
/// </summary>
public static class ParameterFormatter
{
    public static string Format(object? value) => value switch
    {
        null => "\\N",
        string s => s,
        bool b => b ? "true" : "false",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        DateTime dt => ToUtc(dt).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Guid g => g.ToString(),
        IFormattable f when IsInteger(value) => f.ToString(null, CultureInfo.InvariantCulture),
        double or float => throw new ArgumentException("Floating-point parameters are not accepted; use decimal."),
        System.Collections.IEnumerable items => FormatArray(items),
        _ => throw new ArgumentException($"Unsupported parameter type {value.GetType().Name}."),
    };

    private static bool IsInteger(object value) =>
        value is sbyte or byte or short or ushort or int or uint or long or ulong;

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
                sb.Append('\'').Append(s.Replace("\\", "\\\\").Replace("'", "\\'")).Append('\'');
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
