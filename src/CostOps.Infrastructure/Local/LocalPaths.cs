namespace CostOps.Infrastructure.Local;

/// <summary>
/// Where local things live: the state folder (embedded ClickHouse data, Azurite data; default <c>.costops/</c>
/// under the working directory) and the npm folder the build installs chDB and Azurite into (<c>deps/node_modules</c>).
/// </summary>
public static class LocalPaths
{
    /// <summary>Environment variable that overrides the state folder.</summary>
    public const string StateDirectoryVariable = "COSTOPS_STATE_DIR";

    /// <summary>Environment variable that points at a deps folder holding <c>node_modules</c>.</summary>
    public const string DepsDirectoryVariable = "COSTOPS_DEPS_DIR";

    public static string StateDirectory(string? configured = null)
    {
        var path = configured
            ?? Environment.GetEnvironmentVariable(StateDirectoryVariable)
            ?? Path.Combine(Directory.GetCurrentDirectory(), ".costops");
        return Path.GetFullPath(path);
    }

    /// <summary>The deps folder: from the environment, else the nearest <c>deps/node_modules</c> above the app or the working directory.</summary>
    public static string DepsDirectory()
    {
        var fromEnv = Environment.GetEnvironmentVariable(DepsDirectoryVariable);
        if (!string.IsNullOrEmpty(fromEnv)) return Path.GetFullPath(fromEnv);

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "deps");
                if (Directory.Exists(Path.Combine(candidate, "node_modules"))) return candidate;
            }
        }
        throw new InvalidOperationException(
            "The native dependencies (chDB, Azurite) are not installed: no deps/node_modules found above "
            + $"{AppContext.BaseDirectory}. Build the solution once (dotnet build runs deps/install.sh, which needs Node.js), "
            + $"or set {DepsDirectoryVariable}.");
    }

    public static string ChDbLibrary(string? configured = null)
    {
        var path = configured ?? Path.Combine(DepsDirectory(), "node_modules", "@chdb", "lib-linux-x64-gnu", "libchdb.so");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"libchdb.so not found at {path}. Run deps/install.sh (the build does) or set ClickHouse:LibraryPath.");
        }
        return path;
    }

    public static string AzuriteTableScript()
    {
        var path = Path.Combine(DepsDirectory(), "node_modules", "azurite", "dist", "src", "table", "main.js");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Azurite not found at {path}. Run deps/install.sh (the build does).");
        }
        return path;
    }
}
