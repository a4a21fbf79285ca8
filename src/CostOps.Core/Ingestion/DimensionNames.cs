using System.Text.RegularExpressions;

namespace CostOps.Core.Ingestion;

/// <summary>
/// The alphabet of tenant, project and feature names (docs/usage-event.md): letters and digits of any script, and
/// <c>. _ - : @</c>, starting with a letter or digit; a feature may also hold and start with <c>/</c> (routes such as
/// <c>/chat</c>). No quote, backslash, comma, brace, space or control character can reach a query text, a dashboard
/// variable or a URL path through these names.
/// </summary>
public static partial class DimensionNames
{
    public static bool IsValidTenant(string value) => Name().IsMatch(value);

    public static bool IsValidProject(string value) => Name().IsMatch(value);

    public static bool IsValidFeature(string value) => Feature().IsMatch(value);

    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N}._:@-]*$")]
    private static partial Regex Name();

    [GeneratedRegex(@"^[\p{L}\p{N}/][\p{L}\p{N}._:@/-]*$")]
    private static partial Regex Feature();
}
