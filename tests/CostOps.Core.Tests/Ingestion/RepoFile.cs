namespace CostOps.Core.Tests.Ingestion;

/// <summary>
/// Finds committed files (docs, examples) from the test's output folder, so the published contract itself is
/// what the tests check rather than a copy of it.
/// </summary>
internal static class RepoFile
{
    public static string PathOf(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "CostOps.sln")))
                return candidate;
        }
        throw new FileNotFoundException($"'{relativePath}' not found above {AppContext.BaseDirectory}; tests expect to run inside the repository.");
    }

    public static byte[] Read(string relativePath) => File.ReadAllBytes(PathOf(relativePath));
}
