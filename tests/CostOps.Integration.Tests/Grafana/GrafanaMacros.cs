using System.Text.RegularExpressions;

namespace CostOps.Integration.Tests.Grafana;

/// <summary>
/// Expands panel SQL the way Grafana and the grafana-clickhouse-datasource plugin do before a query is sent, so the test
/// runs the exact text ClickHouse would receive: time macros become literal DateTime bounds, and template variables
/// are formatted as Grafana's template service formats them. A multi-value or "All" selection is an array of values.
/// Without a format the plugin's own formatter applies (its <c>format</c>): an array becomes <c>'a','b'</c> with no
/// escaping at all, a single value is inserted raw. <c>${var:percentencode}</c> is Grafana's format: the glob
/// <c>{a,b}</c> (or the single value) through <c>encodeURIComponent</c>, with <c>!'()*</c> escaped as well.
/// Any other format is refused, so a panel cannot use one this expander does not model.
/// </summary>
internal static partial class GrafanaMacros
{
    [GeneratedRegex(@"\$__timeFilter\(([^()]+)\)")]
    private static partial Regex TimeFilter();

    [GeneratedRegex(@"\$__timeInterval\(([^()]+)\)")]
    private static partial Regex TimeInterval();

    [GeneratedRegex(@"\$(?:\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?<format>[a-z]+))?\}|(?<name>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();

    /// <param name="multiValue">Whether the variable is multi-value (ours is): then even one selection is an array.</param>
    public static string Expand(string sql, DateTimeOffset from, DateTimeOffset to, TimeSpan interval, IReadOnlyDictionary<string, IReadOnlyList<string>> variables,
        bool multiValue = true)
    {
        var fromSeconds = from.ToUnixTimeSeconds();
        var toSeconds = to.ToUnixTimeSeconds();
        var expanded = TimeFilter().Replace(sql, m => $"{m.Groups[1].Value.Trim()} >= toDateTime({fromSeconds}) AND {m.Groups[1].Value.Trim()} <= toDateTime({toSeconds})");
        expanded = TimeInterval().Replace(expanded, m => $"toStartOfInterval(toDateTime({m.Groups[1].Value.Trim()}), INTERVAL {(long)interval.TotalSeconds} second)");
        expanded = expanded.Replace("$__fromTime", $"toDateTime({fromSeconds})", StringComparison.Ordinal)
                           .Replace("$__toTime", $"toDateTime({toSeconds})", StringComparison.Ordinal);
        if (expanded.Contains("$__", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"A macro this expander does not know is left in:\n{expanded}");
        }
        return Variable().Replace(expanded, m =>
        {
            var name = m.Groups["name"].Value;
            if (!variables.TryGetValue(name, out var values)) throw new InvalidOperationException($"No value for template variable ${name}.");
            return m.Groups["format"].Value switch
            {
                "" => values.Count == 1 && !multiValue ? values[0] : "'" + string.Join("','", values) + "'",
                "percentencode" => EncodeUriComponentStrict(values.Count == 1 && !multiValue ? values[0] : "{" + string.Join(",", values) + "}"),
                var other => throw new InvalidOperationException($"Format :{other} of ${name} is not modelled here."),
            };
        });
    }

    /// <summary>JavaScript's <c>encodeURIComponent</c> (UTF-8, unreserved A-Z a-z 0-9 - _ . ! ~ * ' ( ) kept), then <c>!'()*</c> escaped too.</summary>
    public static string EncodeUriComponentStrict(string value)
    {
        var output = new System.Text.StringBuilder();
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') output.Append(c);
            else output.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return output.ToString();
    }
}
