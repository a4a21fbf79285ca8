using CostOps.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CostOps.Integration.Tests.Hosting;

/// <summary>
/// Every options class is validated when a host starts, so a bad setting stops the app at start-up with its name, not at
/// the first request that reads it. One bad value per section; a section added without a case here fails the last test.
/// </summary>
public sealed class OptionsValidationTests
{
    /// <summary>Sections with nothing to validate: any bootstrap key or none is valid (docs/security.md).</summary>
    private static readonly string[] Unconstrained = ["Security"];

    public static TheoryData<string, string> BadSettings => new()
    {
        { "Ingestion:MaxEventsPerRequest", "0" },
        { "Pricing:RefreshInterval", "00:00:00" },
        { "Budgets:StatusCacheDuration", "01:00:00" },
        { "AlertDelivery:BatchSize", "0" },
        { "Resilience:AlertDelivery:MaxAttempts", "-1" },
        { "Resilience:ClickHouse:Jitter", "1.5" },
        { "Resilience:EventHubs:MaxDelay", "00:00:00.100" }, // below its InitialDelay (200 ms)
        { "Webhooks:Mode", "Sideways" },
        { "Recommendations:WindowDays", "0" },
        { "Admission:ReservationTtl", "00:00:10" },
        { "ClickHouse:Database", "not-an-identifier" },
        { "Tables:ConnectionString", "" },
        { "EventHubs:MaxBatchSize", "0" },
        { "Local:AzuriteTablePort", "0" },
    };

    private static IHost Build(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Tables:ConnectionString"] = "UseDevelopmentStorage=true" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddCostOpsInfrastructure(builder.Configuration);
        return builder.Build();
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_host_at_start_naming_it(string key, string value)
    {
        using var host = Build([new(key, value)]);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        var member = key.Split(':')[^1];
        Assert.Contains(error.Failures, f => f.Contains(member, StringComparison.Ordinal) || f.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_defaults_start()
    {
        using var host = Build([]);
        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task Logged_acknowledgement_on_app_service_needs_a_log_folder_named_as_durable()
    {
        Dictionary<string, string?> onAzure = new() { ["WEBSITE_INSTANCE_ID"] = "0123abcd", ["Ingestion:Acknowledge"] = "Logged" };
        using (var host = Build(onAzure))
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
            Assert.Contains(error.Failures, f => f.Contains("Ingestion:LogDirectory", StringComparison.Ordinal));
        }
        // Stored there, or Logged elsewhere (serve's state folder), or a folder the operator named: all start.
        foreach (var settings in new Dictionary<string, string?>[]
                 {
                     new() { ["WEBSITE_INSTANCE_ID"] = "0123abcd" },
                     new() { ["Ingestion:Acknowledge"] = "Logged", ["Ingestion:LogDirectory"] = Path.Combine(Path.GetTempPath(), $"costops-log-{Guid.NewGuid():N}") },
                     new(onAzure) { ["Ingestion:LogDirectory"] = Path.Combine(Path.GetTempPath(), $"costops-log-{Guid.NewGuid():N}") },
                 })
        {
            using var host = Build(settings);
            var options = host.Services.GetRequiredService<IOptions<CostOps.Infrastructure.Ingestion.IngestionOptions>>().Value;
            Assert.NotNull(options);
        }
    }

    [Fact]
    public void Every_options_section_registered_has_a_bad_setting_above()
    {
        var services = new ServiceCollection().AddCostOpsInfrastructure(new ConfigurationBuilder().Build());
        var sections = services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => t.Namespace?.StartsWith("CostOps", StringComparison.Ordinal) == true)
            .Select(t => (string)t.GetField("SectionName")!.GetRawConstantValue()!)
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var covered = BadSettings.Select(row => ((string)row[0]).Split(':')[0]).Concat(Unconstrained).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(sections, covered);
    }
}
