using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace CostOps.Integration.Tests.Infra;

/// <summary>
/// infra/main.bicep (and every module it uses) compiles and lints clean with the pinned bicep CLI, restored as the
/// NuGet package Azure.Bicep.CommandLine.linux-x64 (its folder is stamped into this assembly at build time).
/// </summary>
public sealed class BicepTests
{
    private static readonly Lazy<string> Bicep = new(LocateBicep);

    private static string LocateBicep()
    {
        var package = typeof(BicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepPackagePath").Value;
        Assert.False(string.IsNullOrEmpty(package), "BicepPackagePath is empty: was Azure.Bicep.CommandLine.linux-x64 restored?");
        var binary = Path.Combine(package!, "tools", "bicep");
        Assert.True(File.Exists(binary), $"No bicep binary at {binary}.");
        // NuGet extracts package files without the executable bit.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(binary, File.GetUnixFileMode(binary) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return binary;
    }

    private static Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => RunAsync(new Dictionary<string, string?>(), arguments);

    private static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Bicep.Value) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Of("infra") };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        // Offline here: no telemetry, and no module registry to reach (all modules are local files).
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    [Fact]
    public async Task Main_template_builds_without_warnings_or_errors()
    {
        var outDir = Directory.CreateTempSubdirectory("bicep-").FullName;
        try
        {
            var (exitCode, output) = await RunAsync("build", RepoPaths.Of("infra", "main.bicep"), "--outdir", outDir);
            Assert.True(exitCode == 0, output);
            Assert.DoesNotContain("Warning", output);
            Assert.DoesNotContain("Error", output);

            // The compiled template wires the settings under the names the app binds (CostOps.Infrastructure options); they
            // sit inside an ARM if() expression because the list depends on the plan, hence the createObject spelling.
            var json = await File.ReadAllTextAsync(Path.Combine(outDir, "main.json"));
            foreach (var setting in new[]
                     {
                         "ClickHouse__ConnectionString", "ClickHouse__Database", "Tables__Endpoint", "EventHubs__ConnectionString",
                         "EventHubs__HubName", "EventHubs__ConsumerGroup", "BudgetSchedule", "AlertDeliverySchedule",
                         "RecommendationsSchedule", "Webhooks__Mode", "APPLICATIONINSIGHTS_CONNECTION_STRING", "AzureWebJobsStorage__accountName",
                         "Security__KeyRingWrappingSecretUri",
                     })
            {
                Assert.Contains($"'name', '{setting}'", json);
            }
            Assert.Contains("@Microsoft.KeyVault(SecretUri=", json);
            // Every schedule a timer binds (%Setting%) is an app setting, fed by a parameter named after it whose default
            // is the schedule table's: a timer whose setting is missing cannot even be indexed once deployed.
            foreach (var schedule in CostOps.Infrastructure.Hosting.Schedules.All)
            {
                Assert.Contains($"'name', '{schedule.Setting}'", json);
                var parameter = char.ToLowerInvariant(schedule.Setting[0]) + schedule.Setting[1..];
                Assert.Equal(schedule.Default, (string?)JsonNode.Parse(json)!["parameters"]![parameter]?["defaultValue"]);
            }
            // Both plans are in the template; the default is the scale-to-zero one.
            var template = JsonNode.Parse(json)!;
            Assert.Equal("FlexConsumption", (string?)template["parameters"]!["hostingPlan"]!["defaultValue"]);
            Assert.Equal(["FlexConsumption", "Premium"], template["parameters"]!["hostingPlan"]!["allowedValues"]!.AsArray().Select(v => (string)v!));
            Assert.Equal("securestring", (string?)template["parameters"]!["clickHouseConnectionString"]!["type"]);
            // The ring's wrapping key is a secret too; an empty default writes no new version (a redeployment keeps the key).
            Assert.Equal("securestring", (string?)template["parameters"]!["keyRingWrappingKey"]!["type"]);
            Assert.Equal("", (string?)template["parameters"]!["keyRingWrappingKey"]!["defaultValue"]);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public async Task Main_template_and_modules_lint_clean()
    {
        var (exitCode, output) = await RunAsync("lint", RepoPaths.Of("infra", "main.bicep"));
        Assert.True(exitCode == 0, output);
        Assert.True(string.IsNullOrWhiteSpace(output), $"bicep lint reported:\n{output}");
    }

    [Fact]
    public async Task Parameter_file_builds_and_lints_and_takes_the_secret_only_from_the_environment()
    {
        var withSecret = new Dictionary<string, string?> { ["COSTOPS_CLICKHOUSE_CONNECTION_STRING"] = "Host=test.invalid;Username=u;Password=not-a-secret" };
        var (buildExit, buildOutput) = await RunAsync(withSecret, "build-params", RepoPaths.Of("infra", "main.bicepparam"), "--stdout");
        Assert.True(buildExit == 0, buildOutput);
        Assert.DoesNotContain("Warning", buildOutput);
        var (lintExit, lintOutput) = await RunAsync(withSecret, "lint", RepoPaths.Of("infra", "main.bicepparam"));
        Assert.True(lintExit == 0 && string.IsNullOrWhiteSpace(lintOutput), lintOutput);

        // Without the variable the parameters do not build, so a deployment cannot go out with an empty connection string.
        var (missingExit, missingOutput) = await RunAsync(new Dictionary<string, string?> { ["COSTOPS_CLICKHOUSE_CONNECTION_STRING"] = null },
            "build-params", RepoPaths.Of("infra", "main.bicepparam"), "--stdout");
        Assert.NotEqual(0, missingExit);
        Assert.Contains("COSTOPS_CLICKHOUSE_CONNECTION_STRING", missingOutput);
    }

    [Fact]
    public void Least_privilege_roles_are_the_four_the_app_needs_and_no_broad_ones()
    {
        var roles = File.ReadAllText(RepoPaths.Of("infra", "modules", "roles.bicep"));
        // Storage Table Data Contributor, Storage Blob Data Owner (host leases), Event Hubs Data Receiver, Key Vault Secrets User.
        foreach (var id in new[] { "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "a638d3c7-ab3a-418d-83e6-5f17a39d4fde", "4633458b-17de-408a-b874-0445c86b69e6" })
        {
            Assert.Contains(id, roles);
        }
        // Owner, Contributor, Key Vault Administrator / Secrets Officer, Event Hubs Data Owner: none of them.
        foreach (var broad in new[] { "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "b24988ac-6180-42a0-ab88-20f7382dd24c", "00482a5a-887f-4fb3-b363-3b7fe8e74483", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "f526a384-b230-433a-b45c-95f59c4a2dec" })
        {
            Assert.DoesNotContain(broad, roles);
        }
    }
}
