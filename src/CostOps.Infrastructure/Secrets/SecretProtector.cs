using Microsoft.AspNetCore.DataProtection;

namespace CostOps.Infrastructure.Secrets;

/// <summary>
/// Encrypts the credentials CostOps keeps in storage (a budget's webhook secret and Slack and Teams URLs, which carry
/// their own tokens) with ASP.NET Core Data Protection: authenticated encryption under a key ring that rotates itself
/// (docs/security.md says where the ring lives). A stored value is <c>enc:v1:</c> and the protected text; a value without
/// the prefix is one stored before encryption, read as it is and encrypted when its budget is next written.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private const string Prefix = "enc:v1:";
    private readonly IDataProtector _protector = provider.CreateProtector("CostOps.StoredSecrets.v1");

    public static bool IsProtected(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    public string Protect(string plain) => Prefix + _protector.Protect(plain);

    /// <exception cref="System.Security.Cryptography.CryptographicException">The value was protected under a key this
    /// key ring does not hold, or was altered.</exception>
    public string Unprotect(string stored) => IsProtected(stored) ? _protector.Unprotect(stored[Prefix.Length..]) : stored;
}
