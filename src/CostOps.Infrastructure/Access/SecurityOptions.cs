using CostOps.Infrastructure.Secrets;

namespace CostOps.Infrastructure.Access;

/// <summary>How callers are authenticated (section <c>Security</c>; docs/security.md).</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// The bootstrap admin key (every tenant), compared in constant time. <c>costops serve --api-key</c> sets it; in Azure
    /// it is a Key Vault reference. Empty or absent: no bootstrap key (scoped keys and Entra ID only).
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>
    /// Trust App Service Authentication's principal header (<c>X-MS-CLIENT-PRINCIPAL</c>). Only where App Service
    /// Authentication sits in front and strips that header from callers (Azure); never for <c>serve</c>, where a caller
    /// could forge it.
    /// </summary>
    public bool TrustAppServicePrincipal { get; set; }

    /// <summary>
    /// Where the Data Protection key ring that encrypts stored credentials lives. <c>Auto</c> (default): in Tables when
    /// the Tables account is a real storage account (Azure, or the CLI pointed at it), the state folder's key folder
    /// when it is the local emulator.
    /// </summary>
    public KeyRingStore KeyRingStore { get; set; } = KeyRingStore.Auto;

    /// <summary>
    /// The Key Vault secret whose newest version wraps each key of the ring, without a version
    /// (<c>https://VAULT.vault.azure.net/secrets/keyring-wrapping-key</c>); its value is 32 random bytes, base64. Required
    /// when the ring is in a real storage account; unset locally.
    /// </summary>
    public Uri? KeyRingWrappingSecretUri { get; set; }
}
