namespace CostOps.Integration.Tests.Infra;

/// <summary>The repository checkout the tests run from: infra/ and queries/ are read from disk, as a deployment would.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CostOps.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("CostOps.sln not found above the test binaries.");
    }
}
