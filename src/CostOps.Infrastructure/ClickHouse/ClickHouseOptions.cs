using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.ClickHouse;

/// <summary>Where ClickHouse is. Without a server connection string, CostOps uses embedded chDB.</summary>
public sealed class ClickHouseOptions
{
    public const string SectionName = "ClickHouse";

    /// <summary>
    /// ClickHouse.Driver connection string of a server (e.g. <c>Host=ch.example.com;Protocol=https;Port=8443;Username=costops;Password=...</c>).
    /// Empty: use embedded chDB with data under <see cref="DataPath"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Database that holds CostOps' tables; created by migrations. Letters, digits and underscores.</summary>
    [Required, RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,62}$", ErrorMessage = "ClickHouse:Database must be an identifier (letters, digits, underscore).")]
    public string Database { get; set; } = "costops";

    /// <summary>Embedded only: folder of chDB's data. Default: <c>clickhouse</c> under the state folder (<c>.costops/</c>).</summary>
    public string? DataPath { get; set; }

    /// <summary>Embedded only: path of libchdb.so. Default: the copy the build installed under <c>deps/node_modules</c>.</summary>
    public string? LibraryPath { get; set; }

    public bool UseServer => !string.IsNullOrWhiteSpace(ConnectionString);
}
