using CostOps.Infrastructure.Sql;

namespace CostOps.Integration.Tests.Sql;

public sealed class SqlCatalogTests
{
    private readonly SqlCatalog _catalog = new();

    private static string QueriesFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "queries");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "CostOps.sln"))) return candidate;
        }
        throw new DirectoryNotFoundException("queries/ not found above the test binaries.");
    }

    [Fact]
    public void Every_sql_file_under_queries_is_reachable_by_name()
    {
        var root = QueriesFolder();
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
}
