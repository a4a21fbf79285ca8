using System.Reflection;
using System.Text.RegularExpressions;
using CostOps.Infrastructure.Sql;
using CostOps.Integration.Tests.Infra;

namespace CostOps.Integration.Tests.Sql;

public sealed class SqlCatalogTests
{
    private readonly SqlCatalog _catalog = new();

    [Fact]
    public void Every_sql_file_under_queries_is_reachable_by_name()
    {
        var root = RepoPaths.Of("queries");
        var onDisk = Directory.EnumerateFiles(root, "*.sql", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')[..^".sql".Length])
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(onDisk);
        Assert.Equal(onDisk, _catalog.Names);
        foreach (var name in onDisk) Assert.False(string.IsNullOrWhiteSpace(_catalog.Get(name)));
    }

    [Fact]
    public void Every_migration_follows_the_naming_convention_with_unique_ordered_versions()
    {
        var names = _catalog.NamesUnder("schema/");
        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.Matches(Migration.NamePattern(), n));

        var versions = Migration.LoadAll(_catalog).Select(m => m.Version).ToList();
        Assert.Equal(versions.Distinct().Order(), versions);
        Assert.Equal(1, versions[0]);
    }

    /// <summary>Every <c>SqlNames.Folder.Name</c> constant, with the C# expression that names it.</summary>
    private static IEnumerable<(string Expression, string Name)> DeclaredNames() =>
        typeof(SqlNames).GetNestedTypes()
            .SelectMany(folder => folder.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral)
                .Select(f => ($"SqlNames.{folder.Name}.{f.Name}", (string)f.GetRawConstantValue()!)));

    [Fact]
    public void The_declared_names_are_exactly_the_files_code_runs_by_name()
    {
        // schema/ runs as migrations (by folder) and dashboards/ is embedded in the Grafana dashboard: every other file
        // is run by name, so each has one constant and each constant has one file.
        var runByName = _catalog.Names.Where(n => !n.StartsWith("schema/", StringComparison.Ordinal) && !n.StartsWith("dashboards/", StringComparison.Ordinal));
        Assert.Equal(runByName.Order(StringComparer.Ordinal), DeclaredNames().Select(d => d.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_declared_name_is_used_and_no_source_spells_a_query_name_out()
    {
        var sources = Directory.EnumerateFiles(RepoPaths.Of("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && Path.GetFileName(f) != "SqlNames.cs")
            .ToDictionary(f => Path.GetRelativePath(RepoPaths.Of("src"), f), File.ReadAllText);
        var unused = DeclaredNames().Where(d => !sources.Values.Any(s => Regex.IsMatch(s, Regex.Escape(d.Expression) + @"\b"))).Select(d => d.Expression);
        Assert.Empty(unused);
        var spelled = sources.Where(s => _catalog.Names.Any(n => s.Value.Contains($"\"{n}\"", StringComparison.Ordinal))).Select(s => s.Key);
        Assert.Empty(spelled);
    }

    [Fact]
    public void An_unknown_query_name_says_which_names_exist()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => _catalog.Get("schema/9999_nope"));
        Assert.Contains("schema/0001_usage_events", error.Message);
    }

    [Fact]
    public void Statements_split_on_semicolons_at_line_ends_only()
    {
        var statements = SqlStatements.Split("-- comment\nCREATE TABLE a (x String DEFAULT ';');\n\nSELECT 1;\n-- trailing\n");
        Assert.Equal(["-- comment\nCREATE TABLE a (x String DEFAULT ';')", "SELECT 1"], statements);
    }

    [Fact]
    public void A_comment_line_ending_in_a_semicolon_does_not_end_a_statement()
    {
        var statements = SqlStatements.Split("-- the groups first;\n-- then the state;\nINSERT INTO a SELECT 1;\n  -- and so on;\nINSERT INTO b SELECT 2;\n");
        Assert.Equal(["-- the groups first;\n-- then the state;\nINSERT INTO a SELECT 1", "-- and so on;\nINSERT INTO b SELECT 2"], statements);
    }
}
