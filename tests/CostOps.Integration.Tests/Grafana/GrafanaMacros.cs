using System.Text.RegularExpressions;

namespace CostOps.Integration.Tests.Grafana;

/// <summary>
/// Expands panel SQL the way the grafana-clickhouse-datasource plugin does before it sends a query, so the test runs
/// the exact text ClickHouse would receive from Grafana: time macros become literal DateTime bounds, template
/// variables become quoted value lists (a multi-value or "All" selection is a comma-separated list of quoted values).
/// </summary>
internal static partial class GrafanaMacros
{
    [GeneratedRegex(@"\$__timeFilter\(([^()]+)\)")]
    private static partial Regex TimeFilter();

    [GeneratedRegex(@"\$__timeInterval\(([^()]+)\)")]
    private static partial Regex TimeInterval();

    [GeneratedRegex(@"\$(?:\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}|(?<name>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();

    public static string Expand(string sql, DateTimeOffset from, DateTimeOffset to, TimeSpan interval, IReadOnlyDictionary<string, IReadOnlyList<string>> variables)
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
            return string.Join(",", values.Select(v => "'" + v.Replace("\\", "\\\\").Replace("'", "\\'") + "'"));
        });
    }
}
