using System.Text.RegularExpressions;

namespace CostOps.Infrastructure.Sql;

/// <summary>
/// Splits a .sql file into statements: each ends with a semicolon at the end of a line that is not a comment (a
/// comment's sentence may end with one too).
/// </summary>
public static partial class SqlStatements
{
    public static IReadOnlyList<string> Split(string script) =>
        StatementEnd().Split(script)
            .Select(s => s.Trim())
            .Where(s => StripComments(s).Length > 0)
            .ToList();

    private static string StripComments(string sql) => LineComment().Replace(sql, "").Trim();

    [GeneratedRegex(@"(?<=^(?![ \t]*--)[^\n]*);[ \t]*(?:\r?\n|$)", RegexOptions.Multiline)]
    private static partial Regex StatementEnd();

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();
}
