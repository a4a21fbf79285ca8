using System.Security.Cryptography;
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

    /// <summary>The value to store; <see cref="SecretsUnavailableException"/> when the key ring cannot be used (nothing to store then).</summary>
    public string Protect(string plain)
    {
        try
        {
            return Prefix + _protector.Protect(plain);
        }
        catch (CryptographicException e)
        {
            throw new SecretsUnavailableException(
                "A credential could not be encrypted: the key ring is unavailable (its Key Vault wrapping secret unreachable or not configured; docs/security.md).", e);
        }
    }

    /// <summary>
    /// The plain value; a value stored before encryption as it is. One this key ring cannot decrypt (its Key Vault
    /// unreachable, the ring lost or replaced, or the text altered) stays its ciphertext: its budget still reads, lists and
    /// evaluates, and only that channel waits (delivery sees <see cref="IsProtected"/> and retries, never sending the
    /// ciphertext) until the ring can be read or the credential is given again.
    /// </summary>
    public string Unprotect(string stored)
    {
        if (!IsProtected(stored)) return stored;
        try
        {
            return _protector.Unprotect(stored[Prefix.Length..]);
        }
        catch (CryptographicException)
        {
            return stored;
        }
    }
}
