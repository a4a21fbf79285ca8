using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Access;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.Secrets;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CostOps.Integration.Tests.Secrets;

/// <summary>
/// The Data Protection key ring in Azure Tables, as every Azure plan keeps it (Flex Consumption has no shared folder):
/// separate instances (separate service containers) on one table share it, it outlives them, and wrapped by a Key
/// Vault secret it holds no plain key, survives the secret's rotation and an unreachable vault. Real Azurite; Key
/// Vault is the SDK's stand-in (<see cref="StandInKeyVault"/>).
/// </summary>
public sealed class KeyRingOnTablesTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Slack = "https://hooks.slack.com/services/T000/B000/ringSecretPart";

    private static async Task<string> NewPrefixAsync()
    {
        await TestEnvironment.AzuriteAsync();
        return TestEnvironment.UniqueName("ring");
    }

    /// <summary>One instance of an app: its own container, with the registrations every host makes.</summary>
    private static ServiceProvider Instance(string prefix, StandInKeyVault? vault = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Tables:ConnectionString"] = TestEnvironment.TablesConnectionString,
            ["Tables:TablePrefix"] = prefix,
            ["Security:KeyRingStore"] = "Tables",
            ["Security:KeyRingWrappingSecretUri"] = vault?.SecretUri.AbsoluteUri,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(new TableStorage(new TableStorageOptions { ConnectionString = TestEnvironment.TablesConnectionString, TablePrefix = prefix }));
        if (vault is not null) services.AddSingleton(new KeyRingWrappingKey(vault, vault.Name));
        services.AddCostOpsSecretProtection(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static List<TableEntity> Ring(string prefix) =>
        new TableClient(TestEnvironment.TablesConnectionString, prefix + TableNames.DataProtectionKeys).Query<TableEntity>().ToList();

    private static async Task DropAsync(string prefix) =>
        await new TableClient(TestEnvironment.TablesConnectionString, prefix + TableNames.DataProtectionKeys).DeleteAsync();

    [Fact]
    public async Task Budgets_written_by_one_host_instance_are_read_by_another_and_after_a_restart()
    {
        // The real composition root: two hosts on one database and one set of tables, as two instances of the app.
        var ring = new Dictionary<string, string?> { ["Security:KeyRingStore"] = "Tables" };
        await using var first = await CostOpsTestHost.StartAsync(settings: ring);
        var database = first.ClickHouse.Database;
        var prefix = first.Tables.Prefix;
        var budget = new Budget { Id = "ring", Scope = new BudgetScope("acme"), LimitUsd = 5m, Channels = new BudgetChannels(SlackUrl: new Uri(Slack)) };
        await first.Get<IBudgetStore>().AddAsync(budget);

        var stored = (await first.Tables.Table(TableNames.Budgets).GetEntityAsync<TableEntity>("budget", "ring")).Value.GetString("Definition");
        Assert.Contains("enc:v1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("ringSecretPart", stored, StringComparison.Ordinal);

        await using (var second = CostOpsTestHost.Beside(database, prefix, settings: ring))
        {
            Assert.Equal(new Uri(Slack), (await second.Get<IBudgetStore>().GetAsync("ring"))!.Budget.Channels.SlackUrl);
            // And back: what the second protects, the first reads.
            var fromSecond = second.Get<SecretProtector>().Protect("from the second instance");
            Assert.Equal("from the second instance", first.Get<SecretProtector>().Unprotect(fromSecond));
        }
        await using (var restarted = CostOpsTestHost.Beside(database, prefix, settings: ring))
        {
            Assert.Equal(new Uri(Slack), (await restarted.Get<IBudgetStore>().GetAsync("ring"))!.Budget.Channels.SlackUrl);
        }
        // One ring, one key: no instance made its own.
        Assert.Single(Ring(prefix));
        Assert.IsType<TableXmlRepository>(first.Get<IOptions<KeyManagementOptions>>().Value.XmlRepository);
    }

    [Fact]
    public async Task A_wrapped_ring_holds_no_plain_key_and_reads_across_instances_restarts_and_a_rotation()
    {
        var prefix = await NewPrefixAsync();
        var vault = new StandInKeyVault();
        var v1 = vault.AddVersion();
        try
        {
            string before;
            using (var a = Instance(prefix, vault))
            using (var b = Instance(prefix, vault))
            {
                before = a.GetRequiredService<SecretProtector>().Protect("before rotation");
                Assert.Equal("before rotation", b.GetRequiredService<SecretProtector>().Unprotect(before));
            }
            var row = Assert.Single(Ring(prefix));
            var xml = row.GetString("Xml");
            Assert.Contains("wrappedKey", xml, StringComparison.Ordinal);
            Assert.Contains($"secrets/{vault.Name}/{v1}", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
            // A table string property holds at most 32K characters; a wrapped key is far below it.
            output.WriteLine($"wrapped ring key: {xml.Length} characters");
            Assert.True(xml.Length < 8_000, $"{xml.Length} characters");

            // Rotation: a new secret version. The next key made is wrapped under it; the old key still unwraps.
            var v2 = vault.AddVersion();
            string after;
            using (var c = Instance(prefix, vault))
            {
                var now = DateTimeOffset.UtcNow;
                c.GetRequiredService<IKeyManager>().CreateNewKey(now, now.AddDays(90));
                after = c.GetRequiredService<SecretProtector>().Protect("after rotation");
            }
            var versions = Ring(prefix).Select(r => r.GetString("Xml")).Select(x => x.Contains($"/{v2}\"", StringComparison.Ordinal) ? v2 : x.Contains($"/{v1}\"", StringComparison.Ordinal) ? v1 : "?").Order().ToArray();
            Assert.Equal(new[] { v1, v2 }.Order().ToArray(), versions);

            var readsOfV1 = vault.Reads(v1);
            using (var restarted = Instance(prefix, vault))
            {
                var secrets = restarted.GetRequiredService<SecretProtector>();
                Assert.Equal("before rotation", secrets.Unprotect(before));
                Assert.Equal("after rotation", secrets.Unprotect(after));
            }
            Assert.Equal(readsOfV1 + 1, vault.Reads(v1));
        }
        finally
        {
            await DropAsync(prefix);
        }
    }

    [Fact]
    public async Task With_Key_Vault_unreachable_running_instances_go_on_starting_ones_read_no_credential_add_no_key_and_recover_when_it_returns()
    {
        var prefix = await NewPrefixAsync();
        var vault = new StandInKeyVault();
        vault.AddVersion();
        try
        {
            using var running = Instance(prefix, vault);
            var stored = running.GetRequiredService<SecretProtector>().Protect(Slack);

            vault.Failure = new RequestFailedException(503, "Key Vault is unreachable.");
            // An instance that already unwrapped the ring goes on as before.
            Assert.Equal(Slack, running.GetRequiredService<SecretProtector>().Unprotect(stored));
            Assert.Equal("meanwhile", running.GetRequiredService<SecretProtector>().Unprotect(running.GetRequiredService<SecretProtector>().Protect("meanwhile")));

            using var starting = Instance(prefix, vault);
            var secrets = starting.GetRequiredService<SecretProtector>();
            // One that starts now reads budgets with the ciphertext in place of the credential (its channel waits)...
            Assert.Equal(stored, secrets.Unprotect(stored));
            // ...and cannot store a new one: nothing is written under a key no other instance could read.
            Assert.Throws<SecretsUnavailableException>(() => secrets.Protect("new"));
            Assert.Single(Ring(prefix));

            // When the vault answers again, the same instance reads, without a restart.
            vault.Failure = null;
            Assert.Equal(Slack, secrets.Unprotect(stored));
            using var recovered = Instance(prefix, vault);
            Assert.Equal(Slack, recovered.GetRequiredService<SecretProtector>().Unprotect(stored));
            Assert.Single(Ring(prefix));
        }
        finally
        {
            await DropAsync(prefix);
        }
    }

    [Fact]
    public void A_ring_in_a_storage_account_without_a_wrapping_secret_refuses_to_make_a_key_and_local_ones_keep_the_key_folder()
    {
        // A real account's connection string (never reached: options are only built, no key is made).
        const string account = "DefaultEndpointsProtocol=https;AccountName=costopsexample;AccountKey=AAAA;EndpointSuffix=core.windows.net";
        // An empty wrapping setting (as the sample settings carry it) is no setting.
        var azure = new Dictionary<string, string?> { ["Tables:ConnectionString"] = account, ["Security:KeyRingStore"] = "Auto", ["Security:KeyRingWrappingSecretUri"] = "" };
        using (var instance = Instance("unused", settings: azure))
        {
            var options = instance.GetRequiredService<IOptions<KeyManagementOptions>>().Value;
            Assert.IsType<TableXmlRepository>(options.XmlRepository);
            var refused = Assert.Throws<InvalidOperationException>(() => options.XmlEncryptor!.Encrypt(new System.Xml.Linq.XElement("key")));
            Assert.Contains("Security:KeyRingWrappingSecretUri", refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(KeyRingStore.Tables, SecretProtectionServiceCollectionExtensions.KeyRingStoreFor(new SecurityOptions(), new TableStorageOptions { Endpoint = new Uri("https://a.table.core.windows.net") }));
        Assert.Equal(KeyRingStore.Tables, SecretProtectionServiceCollectionExtensions.KeyRingStoreFor(new SecurityOptions(), new TableStorageOptions { ConnectionString = account }));
        Assert.Equal(KeyRingStore.File, SecretProtectionServiceCollectionExtensions.KeyRingStoreFor(new SecurityOptions(), new TableStorageOptions()));
        Assert.Equal(KeyRingStore.Tables, SecretProtectionServiceCollectionExtensions.KeyRingStoreFor(new SecurityOptions { KeyRingStore = KeyRingStore.Tables }, new TableStorageOptions()));

        var state = Directory.CreateTempSubdirectory("costops-ring-");
        try
        {
            var local = new Dictionary<string, string?> { ["Security:KeyRingStore"] = "Auto", ["Local:StateDirectory"] = state.FullName };
            using var instance = Instance("unused", settings: local);
            var options = instance.GetRequiredService<IOptions<KeyManagementOptions>>().Value;
            Assert.IsType<FileSystemXmlRepository>(options.XmlRepository);
            Assert.Null(options.XmlEncryptor);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }
}
