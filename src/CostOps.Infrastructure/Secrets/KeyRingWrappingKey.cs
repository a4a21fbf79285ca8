using System.Collections.Concurrent;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace CostOps.Infrastructure.Secrets;

/// <summary>
/// The key-encryption key that wraps each key of the Data Protection ring: a Key Vault secret whose value is 32 random
/// bytes, base64 (<c>openssl rand -base64 32</c>), read with the app's managed identity. New ring keys are wrapped under
/// the secret's newest version; each wrapped key records the version it was wrapped under, so adding a version
/// (rotation) leaves older keys readable as long as their versions stay enabled.
/// </summary>
public sealed class KeyRingWrappingKey
{
    /// <summary>AES-256.</summary>
    public const int KeyBytes = 32;

    private readonly SecretClient _client;
    private readonly ConcurrentDictionary<string, byte[]> _versions = new(StringComparer.Ordinal);

    /// <param name="client">A client of the vault that holds the secret.</param>
    /// <param name="secretName">The secret's name; its newest version wraps new keys.</param>
    public KeyRingWrappingKey(SecretClient client, string secretName)
    {
        _client = client;
        SecretName = secretName;
    }

    /// <summary>From <c>Security:KeyRingWrappingSecretUri</c> (<c>https://VAULT.vault.azure.net/secrets/NAME</c>), with
    /// DefaultAzureCredential (the managed identity in Azure, <c>az login</c> for the CLI).</summary>
    public static KeyRingWrappingKey ForSecret(Uri secretUri)
    {
        var id = new KeyVaultSecretIdentifier(secretUri);
        return new KeyRingWrappingKey(new SecretClient(id.VaultUri, new DefaultAzureCredential()), id.Name);
    }

    public string SecretName { get; }

    /// <summary>
    /// The newest version: its versioned secret id (recorded in what it wraps) and the key. Read from Key Vault each
    /// time (a key is made about every 90 days), so a new version wraps from the next key on.
    /// </summary>
    public (string Id, byte[] Key) Current()
    {
        var secret = _client.GetSecret(SecretName, null, CancellationToken.None).Value;
        var id = secret.Id.AbsoluteUri;
        var key = Decode(secret.Value, id);
        _versions.TryAdd(id, key);
        return (id, key);
    }

    /// <summary>The key of one version, by the versioned id a wrapped key recorded. Versions never change: each is read once.</summary>
    public byte[] Version(string versionedId)
    {
        if (_versions.TryGetValue(versionedId, out var cached)) return cached;
        var id = new KeyVaultSecretIdentifier(new Uri(versionedId));
        if (string.IsNullOrEmpty(id.Version))
            throw new InvalidOperationException($"A wrapped ring key names '{versionedId}', which has no version.");
        // The recorded name and version on this vault: the wrapping secret may have been renamed in settings since.
        var secret = _client.GetSecret(id.Name, id.Version, CancellationToken.None).Value;
        return _versions.GetOrAdd(versionedId, Decode(secret.Value, versionedId));
    }

    private static byte[] Decode(string value, string id)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value.Trim());
        }
        catch (FormatException)
        {
            key = [];
        }
        if (key.Length != KeyBytes)
            throw new InvalidOperationException($"Key Vault secret {id} must be {KeyBytes} random bytes in base64 (openssl rand -base64 {KeyBytes}).");
        return key;
    }
}
