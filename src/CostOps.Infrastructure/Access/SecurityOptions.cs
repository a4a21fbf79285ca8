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
}
