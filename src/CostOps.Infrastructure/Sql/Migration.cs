using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CostOps.Infrastructure.Sql;

/// <summary>One schema migration: <c>queries/schema/NNNN_snake_case_name.sql</c>.</summary>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    /// <summary>The naming convention every file under <c>queries/schema/</c> follows.</summary>
    [GeneratedRegex(@"^schema/(?<version>\d{4})_(?<name>[a-z0-9]+(?:_[a-z0-9]+)*)$")]
    public static partial Regex NamePattern();

    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    public static IReadOnlyList<Migration> LoadAll(SqlCatalog catalog)
    {
        var migrations = new List<Migration>();
        foreach (var queryName in catalog.NamesUnder("schema/"))
        {
            var match = NamePattern().Match(queryName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"queries/{queryName}.sql does not follow the migration naming convention NNNN_snake_case_name.sql.");
            }
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value), match.Groups["name"].Value, catalog.Get(queryName)));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key:D4}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }
        return migrations.OrderBy(m => m.Version).ToList();
    }
}
