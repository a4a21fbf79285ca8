using CostOps.Infrastructure.Access;
using CostOps.Infrastructure.Local;
using CostOps.Infrastructure.Tables;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Secrets;

/// <summary>Registers <see cref="SecretProtector"/> and the Data Protection key ring it uses (docs/security.md).</summary>
public static class SecretProtectionServiceCollectionExtensions
{
    public static IServiceCollection AddCostOpsSecretProtection(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(SecretProtector))) return services;
        var security = configuration.GetSection(SecurityOptions.SectionName).Get<SecurityOptions>() ?? new SecurityOptions();
        var tables = configuration.GetSection(TableStorageOptions.SectionName).Get<TableStorageOptions>() ?? new TableStorageOptions();
        var store = KeyRingStoreFor(security, tables);

        var dataProtection = services.AddDataProtection().SetApplicationName("costops");
        if (store == KeyRingStore.Tables)
        {
            ConfigureKeyManagement(services, (sp, o) => o.XmlRepository = new TableXmlRepository(sp.GetRequiredService<TableStorage>()));
        }
        else
        {
            // Local hosts (the CLI, serve, the demo, tests): a key folder in the state folder, beside the data it protects.
            var state = configuration.GetSection(LocalOptions.SectionName).Get<LocalOptions>()?.StateDirectory;
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(LocalPaths.StateDirectory(state), "data-protection-keys")));
        }

        if (security.KeyRingWrappingSecretUri is { IsAbsoluteUri: true } secretUri)
        {
            // Tests put a wrapping key on a stand-in Key Vault client before this runs; hosts get the real vault.
            services.TryAddSingleton(_ => KeyRingWrappingKey.ForSecret(secretUri));
            ConfigureKeyManagement(services, (sp, o) => o.XmlEncryptor = new KeyVaultXmlEncryptor(sp.GetRequiredService<KeyRingWrappingKey>()));
        }
        else if (store == KeyRingStore.Tables && !tables.IsDevelopmentStorage)
        {
            // A ring stored unwrapped beside the ciphertexts it decrypts would protect nothing: no key is made unwrapped.
            ConfigureKeyManagement(services, (_, o) => o.XmlEncryptor = new RefuseUnwrappedKeys());
        }
        else
        {
            // An unwrapped local ring is expected (the key folder is the user's own); Data Protection's warning about it,
            // printed, would land in the CLI's output the first time a key is made.
            services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error));
        }
        services.TryAddSingleton<SecretProtector>();
        return services;
    }

    /// <summary>Where the ring lives under these settings (<see cref="KeyRingStore.Auto"/> resolved).</summary>
    public static KeyRingStore KeyRingStoreFor(SecurityOptions security, TableStorageOptions tables) => security.KeyRingStore switch
    {
        KeyRingStore.Auto => tables.IsDevelopmentStorage ? KeyRingStore.File : KeyRingStore.Tables,
        var explicitStore => explicitStore,
    };

    private static void ConfigureKeyManagement(IServiceCollection services, Action<IServiceProvider, KeyManagementOptions> configure) =>
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o => configure(sp, o)));

    private sealed class RefuseUnwrappedKeys : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(System.Xml.Linq.XElement plaintextElement) => throw new InvalidOperationException(
            "The Data Protection key ring is in a storage account and its keys must be wrapped: set Security:KeyRingWrappingSecretUri " +
            "to the Key Vault secret that wraps them (docs/security.md).");
    }
}
