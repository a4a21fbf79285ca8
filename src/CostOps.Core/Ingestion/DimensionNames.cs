using System.Buffers;
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
    // ASCII names (nearly all of them) are decided by a vectorised search; a name with any other character goes to
    // the regex, which knows which characters of other scripts are letters and digits. Checked on every ingested event.
    private const string AsciiLettersAndDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly SearchValues<char> AsciiAlphanumeric = SearchValues.Create(AsciiLettersAndDigits);
    private static readonly SearchValues<char> AsciiName = SearchValues.Create(AsciiLettersAndDigits + "._:@-");
    private static readonly SearchValues<char> AsciiFeature = SearchValues.Create(AsciiLettersAndDigits + "._:@-/");

    public static bool IsValidTenant(string value) => IsValid(value, AsciiName, slashLeads: false);

    public static bool IsValidProject(string value) => IsValid(value, AsciiName, slashLeads: false);

    public static bool IsValidFeature(string value) => IsValid(value, AsciiFeature, slashLeads: true);

    private static bool IsValid(string value, SearchValues<char> ascii, bool slashLeads)
    {
        if (value.Length == 0) return false;
        var other = value.AsSpan().IndexOfAnyExcept(ascii);
        if (other < 0) return AsciiAlphanumeric.Contains(value[0]) || (slashLeads && value[0] == '/');
        if (char.IsAscii(value[other])) return false;
        return slashLeads ? Feature().IsMatch(value) : Name().IsMatch(value);
    }

    // \z, not $: $ also matches before a final line feed, which would let "acme\n" through.
    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N}._:@-]*\z")]
    private static partial Regex Name();

    [GeneratedRegex(@"^[\p{L}\p{N}/][\p{L}\p{N}._:@/-]*\z")]
    private static partial Regex Feature();
}
