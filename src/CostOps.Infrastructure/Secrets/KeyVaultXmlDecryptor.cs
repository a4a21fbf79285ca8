using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Infrastructure.Secrets;

/// <summary>
/// Unwraps a ring key <see cref="KeyVaultXmlEncryptor"/> wrapped, under the Key Vault secret version it records. Data
/// Protection makes it from the type name stored in the ring, through the <see cref="IServiceProvider"/> constructor.
/// Fails (a <see cref="CryptographicException"/>) when the wrapped bytes or the recorded version were altered.
/// </summary>
public sealed class KeyVaultXmlDecryptor : IXmlDecryptor
{
    private readonly KeyRingWrappingKey _wrapping;

    /// <summary>The constructor Data Protection's activator calls.</summary>
    public KeyVaultXmlDecryptor(IServiceProvider services)
        : this(services.GetService<KeyRingWrappingKey>() ?? throw new InvalidOperationException(
            "The Data Protection key ring's keys are wrapped by a Key Vault secret, and no wrapping secret is configured: " +
            "set Security:KeyRingWrappingSecretUri (docs/security.md)."))
    {
    }

    public KeyVaultXmlDecryptor(KeyRingWrappingKey wrapping) => _wrapping = wrapping;

    public XElement Decrypt(XElement encryptedElement)
    {
        if (encryptedElement.Name != KeyVaultXmlEncryptor.WrappedElement)
            throw new CryptographicException($"Not a wrapped ring key: <{encryptedElement.Name}>.");
        var kekId = (string?)encryptedElement.Attribute(KeyVaultXmlEncryptor.KekAttribute)
                    ?? throw new CryptographicException("A wrapped ring key names no wrapping secret version.");
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String((string?)encryptedElement.Element(KeyVaultXmlEncryptor.WrappedElement.Namespace + KeyVaultXmlEncryptor.ValueElement) ?? "");
        }
        catch (FormatException e)
        {
            throw new CryptographicException("A wrapped ring key is not base64.", e);
        }
        const int overhead = KeyVaultXmlEncryptor.NonceBytes + KeyVaultXmlEncryptor.TagBytes;
        if (sealedBytes.Length <= overhead) throw new CryptographicException("A wrapped ring key is too short.");

        var plain = new byte[sealedBytes.Length - overhead];
        try
        {
            using (var aes = new AesGcm(_wrapping.Version(kekId), KeyVaultXmlEncryptor.TagBytes))
            {
                aes.Decrypt(sealedBytes.AsSpan(0, KeyVaultXmlEncryptor.NonceBytes),
                    sealedBytes.AsSpan(KeyVaultXmlEncryptor.NonceBytes, plain.Length),
                    sealedBytes.AsSpan(KeyVaultXmlEncryptor.NonceBytes + plain.Length),
                    plain, KeyVaultXmlEncryptor.AssociatedData(kekId));
            }
            return XElement.Parse(Encoding.UTF8.GetString(plain));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }
}
