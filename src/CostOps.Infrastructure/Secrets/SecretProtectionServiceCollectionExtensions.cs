using CostOps.Infrastructure.Local;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CostOps.Infrastructure.Secrets;

/// <summary>Registers <see cref="SecretProtector"/> and the Data Protection key ring it uses.</summary>
public static class SecretProtectionServiceCollectionExtensions
{
    /// <summary>App Service and Azure Functions set this; Data Protection then keeps its ring under <c>%HOME%</c>, shared by
    /// the app's instances and kept across restarts.</summary>
    private const string AppServiceInstanceVariable = "WEBSITE_INSTANCE_ID";

    public static IServiceCollection AddCostOpsSecretProtection(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(SecretProtector))) return services;
        var dataProtection = services.AddDataProtection().SetApplicationName("costops");
        // Its warning that the ring's keys are stored unwrapped (no XML encryptor) is known and documented
        // (docs/security.md); printed, it would land in the CLI's output the first time a key is made.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error));
        if (Environment.GetEnvironmentVariable(AppServiceInstanceVariable) is null)
        {
            // Local hosts (the CLI, serve, the demo, tests): a key folder in the state folder, beside the data it protects.
            var state = configuration.GetSection(LocalOptions.SectionName).Get<LocalOptions>()?.StateDirectory;
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(LocalPaths.StateDirectory(state), "data-protection-keys")));
        }
        services.TryAddSingleton<SecretProtector>();
        return services;
    }
}
