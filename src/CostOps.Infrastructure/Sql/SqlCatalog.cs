using System.Collections.Frozen;
using System.Reflection;

namespace CostOps.Infrastructure.Sql;

/// <summary>
/// Every SQL statement CostOps runs, loaded from the <c>queries/</c> folder (embedded at build time) by name:
/// the path under <c>queries/</c> without <c>.sql</c>, e.g. <c>schema/0001_usage_events</c>.
/// </summary>
public sealed class SqlCatalog
{
    private const string Prefix = "queries/";
    private readonly FrozenDictionary<string, string> _queries;

    public SqlCatalog() : this(typeof(SqlCatalog).Assembly) { }

    internal SqlCatalog(Assembly assembly)
    {
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var name = resource[Prefix.Length..^".sql".Length].Replace('\\', '/');
            queries[name] = reader.ReadToEnd();
        }
        _queries = queries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>All query names, sorted.</summary>
    public IReadOnlyList<string> Names => _queries.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The SQL text of a query; throws with the known names nearby when the name is wrong.</summary>
    public string Get(string name) => _queries.TryGetValue(name, out var sql)
        ? sql
        : throw new KeyNotFoundException($"No query '{name}' in queries/ (known under that folder: {string.Join(", ", NamesUnder(name.Split('/')[0] + "/"))}).");

    /// <summary>Names starting with <paramref name="folder"/> (e.g. <c>schema/</c>), sorted.</summary>
    public IReadOnlyList<string> NamesUnder(string folder) =>
        _queries.Keys.Where(k => k.StartsWith(folder, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
}
