using System.ComponentModel.DataAnnotations;

namespace CostOps.Infrastructure.Local;

/// <summary>Settings of the local, embedded set-up (what <c>costops</c> and tests run on).</summary>
public sealed class LocalOptions
{
    public const string SectionName = "Local";

    /// <summary>State folder for embedded ClickHouse and Azurite data. Default: <c>.costops/</c> under the working directory
    /// (or <c>COSTOPS_STATE_DIR</c>).</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Port of the local Azurite table service.</summary>
    [Range(1, 65_535)]
    public int AzuriteTablePort { get; set; } = AzuriteRunner.DefaultTablePort;
}
