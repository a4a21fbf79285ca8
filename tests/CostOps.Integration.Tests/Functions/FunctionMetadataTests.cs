using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CostOps.Integration.Tests.Functions;

/// <summary>Function names are an operational contract (alerts, dashboards and deployments name them): the list is pinned here.</summary>
public sealed partial class FunctionMetadataTests
{
    private static readonly string[] Expected =
    [
        "Admission", "AlertDelivery", "AlertsList", "AuditList", "BudgetEvaluation", "BudgetStatus", "BudgetsCreate", "BudgetsDelete", "BudgetsGet", "BudgetsList",
        "BudgetsRotateSecret", "BudgetsUpdate", "Estimate", "Health", "IngestUsage", "PriceRefresh", "PricesList", "RecommendationsDecide", "RecommendationsList",
        "RecommendationsRun", "RollupRepair", "RoutingPolicy", "Spend",
    ];

    private static string Output => typeof(FunctionMetadataTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FunctionsOutput").Value!;

    [Fact]
    public void The_generated_metadata_lists_every_function_and_nothing_else()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "functions.metadata")));
        var names = metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Expected.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public void Every_function_in_the_source_is_in_the_pinned_list()
    {
        var source = Path.GetFullPath(Path.Combine(Output, "../../../"));
        var declared = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => FunctionAttribute().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Order(StringComparer.Ordinal);
        Assert.Equal(Expected.Order(StringComparer.Ordinal), declared);
    }

    [Fact]
    public void Host_json_from_the_repository_root_is_in_the_build_output()
    {
        var root = Path.GetFullPath(Path.Combine(Output, "../../../../../"));
        Assert.Equal(File.ReadAllText(Path.Combine(root, "host.json")), File.ReadAllText(Path.Combine(Output, "host.json")));
    }

    [GeneratedRegex("\\[Function\\(\"([A-Za-z0-9]+)\"\\)\\]")]
    private static partial Regex FunctionAttribute();
}
